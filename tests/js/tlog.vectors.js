// The browser's verifier (web/shared/tlog.js) on vectors the Python log made (tests/unit/test_tlog_javascript.py
// runs this with TLOG_VECTORS naming them): every proof of small trees holds, and every forgery is refused.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  CheckFailed, checkBoardHead, checkInclusion, checkReceipt, fromBase64, leafHash, parseVerifierKey, toBase64,
} from "../../gateway/veche_gateway/web/shared/tlog.js";

const vectors = JSON.parse(readFileSync(process.env.TLOG_VECTORS, "utf8"));
const refused = (what) => (error) => error instanceof CheckFailed && error.what === what;
const flipped = (b64, at = 0) => { const bytes = fromBase64(b64); bytes[at] ^= 1; return toBase64(bytes); };

test("each receipt names its ballot's entry and the log key signed it", async () => {
  const key = await parseVerifierKey(vectors.key);
  for (const [n, ballot] of vectors.ballots.entries()) {
    const receipt = vectors.receipts[n];
    assert.equal(toBase64(await checkReceipt(ballot, receipt, key)), receipt.leaf);
    await assert.rejects(checkReceipt({ ...ballot, practices: ["p-9"] }, receipt, key), refused("receipt"));
    await assert.rejects(checkReceipt(ballot, { ...receipt, signature: flipped(receipt.signature) }, key),
      refused("receipt"));
  }
});

test("every inclusion proof of every small tree leads to its signed root", async () => {
  const key = await parseVerifierKey(vectors.key);
  for (const tree of vectors.trees) {
    for (const [index, hashes] of tree.proofs.entries()) {
      const leaf = fromBase64(vectors.receipts[index].leaf);
      const proof = { index, size: tree.size, hashes, checkpoint: tree.checkpoint };
      const checkpoint = await checkInclusion(leaf, proof, key, "c-1", "n_1");
      assert.equal(checkpoint.size, tree.size);
    }
  }
});

test("a changed hash, another index, another leaf, another log or another key is refused", async () => {
  const key = await parseVerifierKey(vectors.key);
  const tree = vectors.trees.find((t) => t.size === 13);
  const proof = { index: 5, size: 13, hashes: tree.proofs[5], checkpoint: tree.checkpoint };
  const leaf = fromBase64(vectors.receipts[5].leaf);
  for (const at of proof.hashes.keys()) {
    const hashes = proof.hashes.map((h, i) => (i === at ? flipped(h, 31) : h));
    await assert.rejects(checkInclusion(leaf, { ...proof, hashes }, key, "c-1", "n_1"), refused("proof"));
  }
  await assert.rejects(checkInclusion(leaf, { ...proof, index: 4 }, key, "c-1", "n_1"), refused("proof"));
  await assert.rejects(checkInclusion(leaf, { ...proof, hashes: proof.hashes.slice(1) }, key, "c-1", "n_1"),
    refused("proof"));
  await assert.rejects(checkInclusion(fromBase64(vectors.receipts[6].leaf), proof, key, "c-1", "n_1"),
    refused("proof"));
  await assert.rejects(checkInclusion(leaf, { ...proof, size: 12 }, key, "c-1", "n_1"), refused("checkpoint"));
  await assert.rejects(checkInclusion(leaf, proof, key, "c-1", "n_2"), refused("checkpoint"));
  await assert.rejects(checkInclusion(leaf, { ...proof, checkpoint: tree.forged }, key, "c-1", "n_1"),
    refused("signature"));
  const other = await parseVerifierKey(vectors.other_key);  // the forger's own key verifies its note, not ours
  assert.equal((await checkInclusion(leaf, { ...proof, checkpoint: tree.forged }, other, "c-1", "n_1")).size, 13);
});

test("a verifier key whose id does not match its key is refused", async () => {
  const [name, , ...b64] = vectors.key.split("+");
  await assert.rejects(parseVerifierKey(`${name}+00000000+${b64.join("+")}`), refused("key"));
  assert.equal((await leafHash("")).length, 32);
});

const board = (head, nomination = "n_1") => ({ contest: "c-1", nomination, log_size: head.size, log_root: head.root });

test("every board head of every small tree belongs to each later signed checkpoint", async () => {
  const key = await parseVerifierKey(vectors.key);
  for (const tree of vectors.trees) {
    for (const head of tree.heads) {
      const checkpoint = await checkBoardHead(board(head), tree.checkpoint, head.proof, key);
      assert.equal(checkpoint.size, tree.size);
    }
  }
});

test("a board head off the signed log, ahead of it, of another log or under another key is refused", async () => {
  const key = await parseVerifierKey(vectors.key);
  const tree = vectors.trees.find((t) => t.size === 13);
  for (const head of tree.heads) {
    const check = (changed, proof = head.proof, note = tree.checkpoint) => checkBoardHead(changed, note, proof, key);
    await assert.rejects(check(board({ ...head, root: flipped(head.root, 7) })), refused("proof"));
    for (const at of head.proof.keys()) {
      await assert.rejects(check(board(head), head.proof.map((h, i) => (i === at ? flipped(h, 31) : h))),
        refused("proof"));
    }
    if (head.size < tree.size) {
      await assert.rejects(check(board(head), head.proof.slice(1)), refused("proof"));
      await assert.rejects(check(board({ ...head, size: head.size + 1 })), refused("proof"));
    }
    await assert.rejects(check(board(head, "n_2")), refused("checkpoint"));
    await assert.rejects(check(board(head), head.proof, tree.forged), refused("signature"));
  }
  const empty = { size: 0, root: toBase64(new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array()))) };
  assert.equal((await checkBoardHead(board(empty), tree.checkpoint, [], key)).size, 13);  // no ballot yet
  await assert.rejects(checkBoardHead(board({ ...empty, root: tree.heads[0].root }), tree.checkpoint, [], key),
    refused("proof"));
  const ahead = { size: 14, root: tree.heads[12].root };  // counted past the checkpoint: the next one can tell
  await assert.rejects(checkBoardHead(board(ahead), tree.checkpoint, [], key), refused("ahead"));
});
