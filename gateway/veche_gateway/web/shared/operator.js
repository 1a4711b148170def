// An operator's sign-in for the console (/admin, its operations view included): one key (an operator key, or the
// session of the organiser's OpenID sign-in) kept in this tab's sessionStorage, so a reload keeps it.
// Calls made with it go through api.js; a 401 for the stored key tells the listeners (the shell signs out).
import { call } from "./api.js";

const KEY = "veche-console-key";
const RANK = { observer: 1, moderator: 2, admin: 3 };
const listeners = [];
let operator = null;

export function storedKey() { return sessionStorage.getItem(KEY); }
function storeKey(key) { sessionStorage.setItem(KEY, key); }
function forgetKey() { sessionStorage.removeItem(KEY); }

/** fn(error) runs when the API stops accepting the stored key (401): the page then signs out. */
export function onUnauthenticated(fn) { listeners.push(fn); }

/** method and path under /api/v1 with the stored key; body is sent as JSON. */
export async function operatorCall(method, path, body, key = storedKey()) {
  try {
    return await call(method, path, { body, key });
  } catch (error) {
    if (error.status === 401 && key === storedKey()) listeners.forEach((fn) => fn(error));
    throw error;
  }
}

export const get = (path) => operatorCall("GET", path);
export const post = (path, body = {}) => operatorCall("POST", path, body);
export const patch = (path, body) => operatorCall("PATCH", path, body);

/** The signed-in operator ({name, role}) as the API reported it, or null. */
export function current() { return operator; }

/** Whether the signed-in operator holds role or a higher one (the API checks again on every action). */
export function can(role) { return !!operator && RANK[operator.role] >= RANK[role]; }

/** Asks the API who the key is; keeps the key for this tab only if it is accepted. */
export async function signIn(key) {
  operator = await call("GET", "/admin/me", { key });
  storeKey(key);
  return operator;
}

/** The operator of the stored key (null without one); a refused key is forgotten. */
export async function resume() {
  const key = storedKey();
  if (!key) return null;
  try {
    return await signIn(key);
  } catch (error) {
    if (error.status === 401 || error.status === 403) forgetKey();
    throw error;
  }
}

export function signOut() {
  operator = null;
  forgetKey();
}
