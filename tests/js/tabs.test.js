// The nominations' tablist keys (web/public/tabs.js), as WAI-ARIA's tabs pattern has them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { keyTarget } from "../../gateway/veche_gateway/web/public/tabs.js";

test("arrows move to the next and previous tab and wrap around", () => {
  assert.deepEqual(["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"].map((key) => keyTarget(key, 0, 3)), [1, 1, 2, 2]);
  assert.equal(keyTarget("ArrowRight", 2, 3), 0);
});

test("Home and End go to the first and the last tab; other keys move nowhere", () => {
  assert.deepEqual([keyTarget("Home", 2, 3), keyTarget("End", 0, 3), keyTarget("Enter", 1, 3)], [0, 2, -1]);
});
