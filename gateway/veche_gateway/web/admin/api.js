// Calls to the admin API with the operator key of this tab. A refusal becomes an ApiError carrying the problem
// document's status, code and detail, so views can say why in words.
const KEY = "veche-console-key";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || String(status));
    this.status = status;
    this.code = problem.code || "";
    this.errors = problem.errors || [];
  }
}

export function storedKey() { return sessionStorage.getItem(KEY); }
export function storeKey(key) { sessionStorage.setItem(KEY, key); }
export function forgetKey() { sessionStorage.removeItem(KEY); }

const listeners = [];
/** fn(error) runs when the API stops accepting the stored key (401): the shell then signs out. */
export function onUnauthenticated(fn) { listeners.push(fn); }

/** method and path under /api/v1 (e.g. "GET", "/admin/contests"); body is sent as JSON. */
export async function call(method, path, body, key = storedKey()) {
  const headers = { Accept: "application/json" };
  if (key) headers["X-API-Key"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const answer = await fetch("/api/v1" + path, {
    method, headers, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  const value = text ? JSON.parse(text) : null;
  if (!answer.ok) {
    const error = new ApiError(answer.status, value || {});
    if (answer.status === 401 && key === storedKey()) listeners.forEach((fn) => fn(error));
    throw error;
  }
  return value;
}

export const get = (path) => call("GET", path);
export const post = (path, body = {}) => call("POST", path, body);
export const patch = (path, body) => call("PATCH", path, body);

/** Path segment from an id (ids are subject-safe tokens, but encode anyway). */
export const seg = (id) => encodeURIComponent(id);
