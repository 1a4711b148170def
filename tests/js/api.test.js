// The one API wrapper (web/shared/api.js) against an in-memory fetch: what a page learns from an answer.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { ApiError, all, call, send } from "../../gateway/veche_gateway/web/shared/api.js";

const realFetch = globalThis.fetch;
afterEach(() => { globalThis.fetch = realFetch; });

/** fetch answering from a list of [status, body, headers]; the requests are kept in `sent`. */
function answering(...answers) {
  const sent = [];
  globalThis.fetch = async (url, init) => {
    sent.push({ url, ...init });
    const [status, body, headers = {}] = answers.shift();
    const text = body === null || typeof body === "string" ? body : JSON.stringify(body);
    return new Response(text, { status, headers });
  };
  return sent;
}

test("a refusal is an ApiError with the problem's code, detail, field errors and Retry-After", async () => {
  answering([429, { code: "rate_limited", detail: "slow down", errors: [{ loc: ["body", "title"] }] }, { "Retry-After": "7" }]);
  const error = await call("POST", "/contests/c/nominations/n/votes", { body: { practice: "p" } }).catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.deepEqual([error.status, error.code, error.message, error.retryAfter], [429, "rate_limited", "slow down", "7"]);
  assert.deepEqual(error.errors, [{ loc: ["body", "title"] }]);
});

test("a proxy's error page (not JSON) is still an ApiError with its status", async () => {
  answering([502, "<html>Bad Gateway</html>"]);
  const error = await call("GET", "/contests").catch((e) => e);
  assert.deepEqual([error.name, error.status, error.code], ["ApiError", 502, ""]);
});

test("the request: JSON body, the key or the voter's token, extra headers; keyed answers are never cached", async () => {
  const sent = answering([202, { accepted: true }], [200, []]);
  assert.deepEqual(await call("POST", "/votes", { body: { a: 1 }, token: "t0k", headers: { "Idempotency-Key": "k" } }),
    { accepted: true });
  await call("GET", "/admin/contests", { key: "vk_1" });
  assert.equal(sent[0].url, "/api/v1/votes");
  assert.deepEqual([sent[0].body, sent[0].headers.Authorization, sent[0].headers["Idempotency-Key"], sent[0].cache],
    ['{"a":1}', "Bearer t0k", "k", "default"]);
  assert.deepEqual([sent[1].headers["X-API-Key"], sent[1].cache, sent[1].body], ["vk_1", "no-store", undefined]);
});

test("all() follows next_cursor until it is null", async () => {
  const sent = answering([200, { items: [1, 2], next_cursor: "c/2" }], [200, { items: [3], next_cursor: null }]);
  assert.deepEqual(await all("/municipalities", { limit: 2 }), [1, 2, 3]);
  assert.deepEqual(sent.map((s) => s.url), ["/api/v1/municipalities?limit=2", "/api/v1/municipalities?limit=2&cursor=c%2F2"]);
});

test("an empty answer (204) is null", async () => {
  answering([204, null]);
  assert.equal(await call("DELETE", "/x"), null);
});

test("send() gives the accepted answer to read as a file; a refused one throws before anything is read", async () => {
  answering([200, "id,votes\np1,3\n", { "Content-Type": "text/csv" }], [403, { code: "role_too_low", detail: "admins only" }]);
  const answer = await send("GET", "/admin/contests/c/exports/ballots.csv", { key: "vk_1", headers: { Accept: "*/*" } });
  assert.equal(await answer.text(), "id,votes\np1,3\n");
  const error = await send("GET", "/admin/contests/c/exports/ballots.csv", { key: "vk_2" }).catch((e) => e);
  assert.deepEqual([error.status, error.code, error.message], [403, "role_too_low", "admins only"]);
});

test("a Blob body (an uploaded file) is sent as it is with its own type; other bodies as JSON", async () => {
  const sent = answering([201, { id: "p" }], [200, { id: "p" }]);
  const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: "image/jpeg" });
  await call("POST", "/municipality/practices/p/photos?alt=Park", { body: photo, key: "vmk_1" });
  assert.equal(sent[0].headers["Content-Type"], "image/jpeg");
  assert.equal(sent[0].body, photo);
  await call("PATCH", "/municipality/practices/p", { body: { title: "T" }, key: "vmk_1" });
  assert.deepEqual([sent[1].headers["Content-Type"], sent[1].body], ["application/json", '{"title":"T"}']);
});
