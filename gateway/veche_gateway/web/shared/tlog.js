// What docs/verifiability.md says anyone can check, checked in the browser with WebCrypto only (SHA-256 and
// Ed25519; no library, no CDN): RFC 9162 hashes and inclusion proofs, C2SP signed notes and checkpoints, a ballot's
// entry and receipt, a live board's seal. Nothing here fetches or touches the page, so node's tests import it.
const utf8 = new TextEncoder();
const ED25519 = 0x01;

export class CheckFailed extends Error {
  /** what: the step that failed ("receipt", "key", "signature", "proof", ...), for the page to say in words. */
  constructor(what, detail) {
    super(detail);
    this.name = "CheckFailed";
    this.what = what;
  }
}

export function fromBase64(text) {
  const raw = atob(text);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

export const toBase64 = (bytes) => btoa(String.fromCharCode(...bytes));

const same = (a, b) => a.length === b.length && a.every((byte, i) => byte === b[i]);

async function sha256(...parts) {
  const data = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((at, part) => { data.set(part, at); return at + part.length; }, 0);
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

/** RFC 9162 leaf hash of an entry line: SHA-256(0x00 || line). */
export const leafHash = (line) => sha256(Uint8Array.of(0), utf8.encode(line));
const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);

/** The root an RFC 9162 inclusion proof (section 2.1.3.2) leads to from leaf `index` of a tree of `size`. */
export async function rootFromInclusion(index, size, leaf, proof) {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) {
    throw new CheckFailed("proof", `entry ${index} is not in a tree of ${size}`);
  }
  let fn = index, sn = size - 1, root = leaf;
  for (const hash of proof) {
    if (hash.length !== 32 || sn === 0) throw new CheckFailed("proof", "the proof is too long or malformed");
    if (fn % 2 === 1 || fn === sn) {
      root = await nodeHash(hash, root);
      while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
    } else {
      root = await nodeHash(root, hash);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new CheckFailed("proof", "the proof is too short");
  return root;
}

/** A C2SP verifier key, `<name>+<key id hex>+<base64(0x01 || Ed25519 public key)>`, checked and imported. */
export async function parseVerifierKey(vkey) {
  const [name, hexId, ...tail] = vkey.trim().split("+");
  const b64 = tail.join("+");  // base64 has its own "+"
  const raw = /^[A-Za-z0-9+/]+=*$/.test(b64) ? fromBase64(b64) : new Uint8Array();
  if (!name || raw.length !== 33 || raw[0] !== ED25519) throw new CheckFailed("key", "not an Ed25519 verifier key");
  const keyId = (await sha256(utf8.encode(`${name}\n`), raw)).slice(0, 4);
  if ([...keyId].map((b) => b.toString(16).padStart(2, "0")).join("") !== hexId) {
    throw new CheckFailed("key", "the key id does not match the key");
  }
  const key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
  return { name, keyId, key, text: vkey.trim() };
}

/** Whether the verifier's Ed25519 key signed these bytes. */
export const verifies = (verifier, signature, message) =>
  crypto.subtle.verify({ name: "Ed25519" }, verifier.key, signature, typeof message === "string" ? utf8.encode(message) : message);

/** The text of a C2SP signed note that `verifier` signed; CheckFailed("signature") if no signature line holds. */
export async function openNote(note, verifier) {
  const cut = note.lastIndexOf("\n\n");
  if (cut < 0 || !note.endsWith("\n")) throw new CheckFailed("signature", "not a signed note");
  const text = note.slice(0, cut + 1);
  for (const line of note.slice(cut + 2, -1).split("\n")) {
    const [name, b64] = line.replace(/^\u2014 /, "").split(" ");
    if (!line.startsWith("\u2014 ") || name !== verifier.name || !b64) continue;
    const raw = fromBase64(b64);
    if (same(raw.slice(0, 4), verifier.keyId) && await verifies(verifier, raw.slice(4), text)) return text;
  }
  throw new CheckFailed("signature", `no valid signature by ${verifier.name}`);
}

/** A checkpoint's origin, size and root hash, from a note's text. */
export function parseCheckpoint(text) {
  const [origin, size, root] = text.split("\n");
  if (!origin || !/^(0|[1-9][0-9]{0,15})$/.test(size || "")) throw new CheckFailed("checkpoint", "not a checkpoint");
  const hash = fromBase64(root);
  if (hash.length !== 32) throw new CheckFailed("checkpoint", "a checkpoint's root hash is 32 bytes");
  return { origin, size: Number(size), root: hash };
}

/** The log entry line of a ballot as `my-ballot` shows it, spelled with the receipt's time (docs/verifiability.md). */
export const ballotLine = (ballot, castAt) => ["veche-ballot/v1", "cast", ballot.contest, ballot.nomination,
  ballot.vote_id, ballot.practices.join(","), ballot.voter_hash, castAt].join(" ");

export const receiptStatement = (ballot, receipt) => `veche-receipt/v1\n${ballot.contest} ${ballot.nomination} ` +
  `${ballot.vote_id}\nleaf ${receipt.leaf}\ntime ${receipt.cast_at}\n`;

/** That the receipt names this ballot's entry and the log key signed it; answers the leaf hash. */
export async function checkReceipt(ballot, receipt, verifier) {
  const leaf = await leafHash(ballotLine(ballot, receipt.cast_at));
  if (toBase64(leaf) !== receipt.leaf) throw new CheckFailed("receipt", "the receipt names another entry");
  if (!await verifies(verifier, fromBase64(receipt.signature), receiptStatement(ballot, receipt))) {
    throw new CheckFailed("receipt", "the receipt is not signed by the log key");
  }
  return leaf;
}

/**
 * That the leaf is entry proof.index of the checkpoint in `proof` (an `inclusion` answer), whose note the log key
 * signed for this nomination's log (origin `<platform>/<contest>/<nomination>`): answers that checkpoint
 * ({origin, size, root}).
 */
export async function checkInclusion(leaf, proof, verifier, contest, nomination) {
  const checkpoint = parseCheckpoint(await openNote(proof.checkpoint, verifier));
  if (!checkpoint.origin.endsWith(`/${contest}/${nomination}`)) {
    throw new CheckFailed("checkpoint", `the checkpoint is of another log, ${checkpoint.origin}`);
  }
  if (checkpoint.size !== proof.size) throw new CheckFailed("checkpoint", "the proof is for another size");
  const root = await rootFromInclusion(proof.index, proof.size, leaf, proof.hashes.map(fromBase64));
  if (!same(root, checkpoint.root)) throw new CheckFailed("proof", "the proof does not lead to the signed root");
  return checkpoint;
}

/** RFC 9162 (section 2.1.4.2): that the tree of `newSize` entries with root `newRoot` extends the tree of `oldSize`
 *  entries with root `oldRoot`; CheckFailed("proof") otherwise. */
export async function checkConsistency(oldSize, newSize, oldRoot, newRoot, proof) {
  if (!(Number.isSafeInteger(oldSize) && Number.isSafeInteger(newSize) && oldSize >= 1 && oldSize <= newSize)) {
    throw new CheckFailed("proof", `a tree of ${newSize} cannot extend one of ${oldSize}`);
  }
  if (oldSize === newSize) {
    if (proof.length || !same(oldRoot, newRoot)) throw new CheckFailed("proof", "trees of equal size differ");
    return;
  }
  const path = (oldSize & (oldSize - 1)) === 0 ? [oldRoot, ...proof] : [...proof];
  if (!path.length || path.some((hash) => hash.length !== 32)) throw new CheckFailed("proof", "a malformed proof");
  let fn = oldSize - 1, sn = newSize - 1;
  while (fn % 2 === 1) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
  let fr = path[0], sr = path[0];
  for (const hash of path.slice(1)) {
    if (sn === 0) throw new CheckFailed("proof", "the proof is too long");
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(hash, fr);
      sr = await nodeHash(hash, sr);
      while (fn % 2 === 0 && fn !== 0) { fn /= 2; sn = Math.floor(sn / 2); }
    } else {
      sr = await nodeHash(sr, hash);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0 || !same(fr, oldRoot) || !same(sr, newRoot)) {
    throw new CheckFailed("proof", `the tree of ${newSize} does not extend the tree of ${oldSize}`);
  }
}

/**
 * That a sealed board's log head (`log_size`, `log_root`) belongs to the signed checkpoint `note` of its
 * nomination's log: the same tree, or a prefix of it by the `consistency?old=<log_size>&new=<size>` proof `hashes`
 * (base64; none when the sizes are equal). A board counted past the latest checkpoint cannot be checked yet:
 * CheckFailed("ahead"), and the next checkpoint (signed within seconds) can. Answers the checkpoint.
 */
export async function checkBoardHead(board, note, hashes, verifier) {
  const checkpoint = parseCheckpoint(await openNote(note, verifier));
  if (!checkpoint.origin.endsWith(`/${board.contest}/${board.nomination}`)) {
    throw new CheckFailed("checkpoint", `the checkpoint is of another log, ${checkpoint.origin}`);
  }
  if (board.log_size > checkpoint.size) throw new CheckFailed("ahead", "the board is newer than the checkpoint");
  if (board.log_size === 0) {  // the empty tree begins every tree; its root is SHA-256 of nothing
    if (!same(fromBase64(board.log_root), await sha256())) throw new CheckFailed("proof", "not the empty tree's root");
    return checkpoint;
  }
  await checkConsistency(board.log_size, checkpoint.size, fromBase64(board.log_root), checkpoint.root,
    hashes.map(fromBase64));
  return checkpoint;
}
