// One way every page calls the gateway's API (/api/v1). A refusal becomes an ApiError carrying the problem
// document's status, error code (docs/api.md lists them), detail and field errors and the Retry-After seconds, so
// a page says why in words and switches on the code, never on the text.
export const BASE = "/api/v1";

export class ApiError extends Error {
  constructor(status, problem = {}, retryAfter = null) {
    super(problem.detail || problem.title || problem.code || String(status));
    this.name = "ApiError";
    this.status = status;
    this.code = problem.code || "";
    this.errors = problem.errors || [];
    this.retryAfter = retryAfter;
  }
}

/**
 * The answer to method and path under /api/v1 (e.g. "GET", "/contests") once accepted (2xx), as a Response to
 * read as the caller needs (a file's blob); a refusal throws its ApiError. body is sent as JSON (a Blob, such as
 * a File from an <input type=file>, as it is, with its own type); key is an
 * operator's or a representative's X-API-Key, token a voter's bearer token. Answers for a key are that key's
 * own: never cached.
 */
export async function send(method, path, { body, key, token, headers = {} } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (key) sent["X-API-Key"] = key;
  if (token) sent.Authorization = `Bearer ${token}`;
  const raw = typeof Blob !== "undefined" && body instanceof Blob;
  if (body !== undefined) sent["Content-Type"] = raw ? body.type : "application/json";
  const answer = await fetch(BASE + path, {
    method, headers: sent, cache: key ? "no-store" : "default",
    body: body === undefined || raw ? body : JSON.stringify(body),
  });
  if (!answer.ok) throw refusal(answer.status, await readJson(answer), answer.headers.get("Retry-After"));
  return answer;
}

/** The JSON answer (null for an empty one) to a request as send() makes it. */
export async function call(method, path, options = {}) {
  return readJson(await send(method, path, options));
}

/** The ApiError of a refused answer (also for answers read without call(), such as an upload's). */
export function refusal(status, problem, retryAfter = null) {
  return new ApiError(status, problem && typeof problem === "object" ? problem : {}, retryAfter);
}

async function readJson(answer) {
  const text = await answer.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    if (answer.ok) throw new ApiError(answer.status, { detail: "the answer is not JSON" });
    return { detail: answer.statusText };  // a proxy's error page, not a problem document
  }
}

export const get = (path, options) => call("GET", path, options);

/** An image answer as a data: URL (the pages' CSP allows data: images), for images a key must be shown to read
    (a practice's photos before approval): an <img src> cannot send the key itself. */
export async function imageData(path, options = {}) {
  const image = await (await send("GET", path, { ...options, headers: { Accept: "image/*" } })).blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(image);
  });
}

/** Every item of a paged list: follows next_cursor until it is null (limit: the route's page size, if any). */
export async function all(path, { limit, ...options } = {}) {
  const base = limit ? path + (path.includes("?") ? "&" : "?") + `limit=${limit}` : path;
  const items = [];
  for (let cursor = null; ;) {
    const sep = base.includes("?") ? "&" : "?";
    const page = await get(cursor ? `${base}${sep}cursor=${encodeURIComponent(cursor)}` : base, options);
    items.push(...page.items);
    if (!page.next_cursor) return items;
    cursor = page.next_cursor;
  }
}

/** Path segment from an id (ids are subject-safe tokens, but encode anyway). */
export const seg = (id) => encodeURIComponent(id);
