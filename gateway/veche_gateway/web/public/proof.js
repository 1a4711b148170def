// "My ballot" in the public count: this browser checks, with WebCrypto (shared/tlog.js), that the voter's ballot
// is an entry of its nomination's transparency log under a checkpoint signed by the platform's log key, and says
// the outcome in words. The page trusts none of the answers: the receipt, the proof and the checkpoint must hold
// under the published key (docs/verifiability.md, "How to check").
import { get, send, seg } from "../shared/api.js";
import { $ } from "../shared/dom.js";
import { addTexts, t, when } from "../shared/i18n.js";
import { CheckFailed, checkInclusion, checkReceipt, parseVerifierKey, toBase64 } from "../shared/tlog.js";

addTexts({
  en: {
    proofCheck: "Check my ballot in the public count", proofChecking: "Checking in this browser…",
    proofWaiting: "Your ballot is not in a signed count yet (they are signed every few seconds); checking again…",
    proofOk: "Verified in this browser: your ballot is in the count signed at {time} — entry {n} of {size}. " +
      "The receipt names your ballot, the platform's key {key} signed the count, and the proof leads from your ballot to it.",
    proofCertified: "Verified in this browser: your ballot is in the certified count — entry {n} of {size}, the " +
      "final checkpoint of the certificate. The receipt names your ballot, the platform's key {key} signed the count, " +
      "and the proof leads from your ballot to it.",
    proofOkAnnulled: "Verified in this browser: your ballot is entry {n} of {size} in the log signed at {time} " +
      "by the platform's key {key}; its annulment is in the log too, so it is not counted.",
    proofHidden: "This contest's results are hidden, so its log is not public yet. Your receipt is signed by the " +
      "platform's key {key} and names your ballot: it can be proven in the count once the results are public.",
    proofNotYet: "Your ballot is not in a signed count yet. Try again in a minute.",
    proofUnavailable: "The check could not be made now ({why}); this says nothing against your ballot. Try again later.",
    proofNoCrypto: "This browser cannot check Ed25519 signatures, so the check was not made. Try a current browser.",
    proofFailed_receipt: "Check FAILED: the receipt does not name your ballot, or the platform's key did not sign it.",
    proofFailed_key: "Check FAILED: the platform's public key is malformed.",
    proofFailed_signature: "Check FAILED: the count is not signed by the platform's key {key}.",
    proofFailed_checkpoint: "Check FAILED: the signed count shown is not the one of this nomination.",
    proofFailed_proof: "Check FAILED: the proof does not lead from your ballot to the signed count.",
    proofFailedAdvice: "Keep this page and your receipt, and tell the organiser and the observers.",
  },
  ru: {
    proofCheck: "Проверить мой бюллетень в публичном подсчёте", proofChecking: "Проверяем в этом браузере…",
    proofWaiting: "Ваш бюллетень ещё не вошёл в подписанный подсчёт (их подписывают каждые несколько секунд); проверяем снова…",
    proofOk: "Проверено в этом браузере: ваш бюллетень учтён в подсчёте, подписанном {time}, — запись {n} из {size}. " +
      "Квитанция называет ваш бюллетень, подсчёт подписан ключом платформы {key}, и доказательство ведёт от вашего бюллетеня к нему.",
    proofCertified: "Проверено в этом браузере: ваш бюллетень учтён в заверенном подсчёте — запись {n} из {size}, " +
      "итоговая контрольная точка сертификата. Квитанция называет ваш бюллетень, подсчёт подписан ключом платформы {key}, " +
      "и доказательство ведёт от вашего бюллетеня к нему.",
    proofOkAnnulled: "Проверено в этом браузере: ваш бюллетень — запись {n} из {size} в журнале, подписанном {time} " +
      "ключом платформы {key}; его аннулирование тоже есть в журнале, поэтому он не учитывается.",
    proofHidden: "Результаты этого конкурса скрыты, поэтому журнал пока не публичен. Ваша квитанция подписана ключом " +
      "платформы {key} и называет ваш бюллетень: его учёт можно будет доказать, когда результаты станут публичными.",
    proofNotYet: "Ваш бюллетень ещё не вошёл в подписанный подсчёт. Попробуйте через минуту.",
    proofUnavailable: "Проверку сейчас выполнить не удалось ({why}); это ничего не говорит против вашего бюллетеня. Попробуйте позже.",
    proofNoCrypto: "Этот браузер не умеет проверять подписи Ed25519, поэтому проверка не выполнена. Попробуйте современный браузер.",
    proofFailed_receipt: "Проверка НЕ ПРОЙДЕНА: квитанция не называет ваш бюллетень или не подписана ключом платформы.",
    proofFailed_key: "Проверка НЕ ПРОЙДЕНА: открытый ключ платформы испорчен.",
    proofFailed_signature: "Проверка НЕ ПРОЙДЕНА: подсчёт не подписан ключом платформы {key}.",
    proofFailed_checkpoint: "Проверка НЕ ПРОЙДЕНА: показан подписанный подсчёт не этой номинации.",
    proofFailed_proof: "Проверка НЕ ПРОЙДЕНА: доказательство не ведёт от вашего бюллетеня к подписанному подсчёту.",
    proofFailedAdvice: "Сохраните эту страницу и квитанцию и сообщите организатору и наблюдателям.",
  },
});

const WAITS = 6;  // a checkpoint is signed every 2 s while ballots arrive: six waits of 1.5 s cover a slow one
const pause = (ms) => new Promise((done) => { setTimeout(done, ms); });
let mine = null;  // the ballot the button checks (my-ballot's answer)
let certified = false;  // the results are published: the proof is against the certificate's final checkpoint
let shownKey = "";  // the log key's name and id, once read

/** Offer the check for this ballot (null: none to check); published: against the certified checkpoint. */
export function offerProof(ballot, published = false) {
  const again = mine && ballot && mine.vote_id === ballot.vote_id;  // the same ballot read again keeps its result
  mine = ballot && ballot.receipt ? ballot : null;
  certified = published;
  $("proof").hidden = !mine;
  if (!again) say("", "");
}

function say(text, outcome) {
  $("proof-text").textContent = text;
  $("proof").dataset.outcome = outcome;
}

const keyName = (verifier) => `${verifier.name}+${[...verifier.keyId].map((b) => b.toString(16).padStart(2, "0")).join("")}`;

async function logKey() {
  return parseVerifierKey(await (await send("GET", "/log/key", { headers: { Accept: "text/plain" } })).text());
}

/** The entry's index, asked again while no signed checkpoint holds it yet. */
async function entryIndex(log, ballot) {
  const path = `${log}/leaf?leaf=${encodeURIComponent(ballot.receipt.leaf)}&seq=${ballot.sequence}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return (await get(path)).index;
    } catch (error) {
      if (error.code !== "not_in_log" || attempt >= WAITS) throw error;
      say(t("proofWaiting"), "waiting");
      await pause(1500);
    }
  }
}

async function check(ballot) {
  const verifier = await logKey();
  const key = shownKey = keyName(verifier);
  const leaf = await checkReceipt(ballot, ballot.receipt, verifier);
  if (ballot.sequence === null || ballot.sequence === undefined) return [t("proofHidden", { key }), "hidden"];
  const log = `/contests/${seg(ballot.contest)}/nominations/${seg(ballot.nomination)}/log`;
  const index = await entryIndex(log, ballot);
  const final = certified ? await certifiedLog(ballot) : null;
  const proof = await get(`${log}/inclusion?index=${index}${final ? `&size=${final.size}` : ""}`);
  const checkpoint = await checkInclusion(leaf, proof, verifier, ballot.contest, ballot.nomination);
  if (final && toBase64(checkpoint.root) !== final.root) {
    throw new CheckFailed("checkpoint", "the proof's checkpoint is not the certificate's");
  }
  const words = { time: when(proof.signed_at), n: index + 1, size: checkpoint.size, key };
  if (ballot.counted === false) return [t("proofOkAnnulled", words), "verified"];
  return [t(final ? "proofCertified" : "proofOk", words), "verified"];
}

/** The nomination's final checkpoint in the certificate, {size, root} (null while it is not issued yet). */
async function certifiedLog(ballot) {
  const certificate = await get(`/contests/${seg(ballot.contest)}/certificate`).catch(() => null);
  return (certificate && certificate.logs && certificate.logs[ballot.nomination]) || null;
}

async function onCheck() {
  if (!mine) return;
  if (!globalThis.crypto || !crypto.subtle) { say(t("proofNoCrypto"), "unchecked"); return; }
  $("proof-check").disabled = true;
  say(t("proofChecking"), "checking");
  try {
    say(...await check(mine));
  } catch (error) {
    if (error instanceof CheckFailed) {
      say(`${t(`proofFailed_${error.what}`, { key: shownKey })} ${t("proofFailedAdvice")}`, "failed");
    } else if (error.name === "NotSupportedError") say(t("proofNoCrypto"), "unchecked");
    else if (error.code === "not_in_log") say(t("proofNotYet"), "waiting");
    else say(t("proofUnavailable", { why: error.message }), "unchecked");
  } finally {
    $("proof-check").disabled = false;
  }
}

$("proof-check").addEventListener("click", onCheck);
