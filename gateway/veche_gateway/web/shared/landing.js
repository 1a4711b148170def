// A sign-in's answer arrives in the URL fragment (#id_token=, #session=). A link to our page carrying someone
// else's fragment would plant that identity in this tab, so the gateway's own redirect names a fresh nonce in the
// fragment and in the short-lived cookie veche_landing: the fragment counts only when both agree (once).

/** Whether the fragment's parameters came with our own redirect; the landing cookie is used up either way. */
export function landed(params) {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("veche_landing="));
  document.cookie = "veche_landing=; Max-Age=0; path=/";
  const nonce = params.get("landing");
  return Boolean(cookie && nonce && cookie.slice("veche_landing=".length) === nonce);
}
