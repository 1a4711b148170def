// Where the voter is (web/public/progress.js): the next nomination to vote in after a vote.
import assert from "node:assert/strict";
import { test } from "node:test";
import { nextToVote } from "../../gateway/veche_gateway/web/public/progress.js";

const nominations = ["a", "b", "c", "d"].map((id) => ({ id }));

test("the next nomination without a ballot, after the current one and wrapping round", () => {
  assert.equal(nextToVote(nominations, new Map([["b", ["p"]]]), "b").id, "c");
  assert.equal(nextToVote(nominations, new Map([["c", ["p"]], ["d", ["p"]]]), "d").id, "a");
  assert.equal(nextToVote(nominations, new Map([["a", ["p"]], ["b", ["p"]]]), "a").id, "c");
});

test("none once every nomination has a ballot", () => {
  const all = new Map(nominations.map((n) => [n.id, ["p"]]));
  assert.equal(nextToVote(nominations, all, "c"), null);
});
