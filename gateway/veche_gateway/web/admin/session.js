// Who is signed in: the operator's name and role as the API reports them for the stored key.
import { call, forgetKey, storeKey, storedKey } from "./api.js";

const RANK = { observer: 1, moderator: 2, admin: 3 };
let operator = null;

export function current() { return operator; }

/** Whether the signed-in operator holds role or a higher one (the API checks again on every action). */
export function can(role) { return !!operator && RANK[operator.role] >= RANK[role]; }

/** Asks the API who the key is; keeps the key for this tab only if it is accepted. */
export async function signIn(key) {
  operator = await call("GET", "/admin/me", undefined, key);
  storeKey(key);
  return operator;
}

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
