/* The public page's identity box: a device identity after an ALTCHA check, sign-in with the organiser's
   OpenID provider, or (development only) a pasted voter token. Tokens stay in this browser's localStorage. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  /* The widget is an ES module (loaded after this script); its external build brings no worker of its own. */
  customElements.whenDefined("altcha-widget").then(function () {
    ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"].forEach(function (name) {
      window.$altcha.algorithms.set(name, function () { return new Worker("/static/vendor/altcha/pbkdf2.js"); });
    });
  });
  var box = { contest: null, method: null, signInUrl: null, t: null, say: null, widget: null, waiting: [] };

  function key() { return "veche-token:" + box.contest.id; }
  function expiry(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return JSON.parse(atob(part)).exp * 1000;
    } catch (error) { return 0; }
  }
  function saved() {
    var token = localStorage.getItem(key());
    if (token && expiry(token) <= Date.now()) { localStorage.removeItem(key()); token = null; }
    return token;
  }
  function save(token) { localStorage.setItem(key(), token); }

  /* The provider's answer comes back in the URL fragment: keep the token, then clear the address bar. */
  function takeFragment() {
    var fragment = new URLSearchParams(location.hash.slice(1));
    if (!fragment.has("id_token") && !fragment.has("sign_in_error")) return;
    if (fragment.get("id_token")) save(fragment.get("id_token"));
    if (fragment.get("sign_in_error")) box.say(box.t("signInError", { why: fragment.get("sign_in_error") }));
    history.replaceState(null, "", location.pathname + location.search);
  }

  function widget() {
    if (box.widget) return box.widget;
    var node = document.createElement("altcha-widget");
    node.setAttribute("challenge", "/api/v1/contests/" + box.contest.id + "/device-challenge");
    node.setAttribute("auto", "off");
    node.setAttribute("language", document.documentElement.lang === "ru" ? "ru" : "en");
    node.addEventListener("statechange", function (event) { onCheck(event.detail); });
    $("device-check").appendChild(node);
    box.widget = node;
    return node;
  }

  function onCheck(detail) {
    if (detail.state === "error" || detail.state === "expired") settle(null, detail.state);
    if (detail.state !== "verified" || !detail.payload) return;
    fetch("/api/v1/contests/" + box.contest.id + "/device-token", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ altcha: detail.payload })
    }).then(function (r) { return r.json().then(function (body) { return [r, body]; }); })
      .then(function (answer) {
        if (!answer[0].ok) { settle(null, answer[1].detail || answer[0].status); return; }
        save(answer[1].token);
        settle(answer[1].token);
      }).catch(function (error) { settle(null, error.message); });
  }

  function settle(token, why) {
    if (!token) box.say(box.t("deviceFailed", { why: why }));
    var waiting = box.waiting;
    box.waiting = [];
    waiting.forEach(function (resolve) { resolve(token); });
    render();
  }

  /* A token for a ballot: the saved one, or a device identity after the check; null if the voter must act. */
  function ensure() {
    var token = saved();
    if (token || box.method !== "device") {
      if (!token) box.say(box.t(box.method === "oidc" ? "needSignIn" : "needToken"));
      return Promise.resolve(token);
    }
    box.say(box.t("deviceCheck"));
    return new Promise(function (resolve) {
      box.waiting.push(resolve);
      var node = widget();
      render();
      if (box.waiting.length === 1) customElements.whenDefined("altcha-widget").then(function () { node.verify(); });
    });
  }

  function render() {
    var t = box.t, token = saved(), method = box.method;
    var text = { device: token ? t("deviceSaved") : t("device"), oidc: t("oidc"), token: t("jwt"),
                 organiser_app: t("organiserApp") }[method] || "";
    if (method === "token" && token) text += " " + t("jwtSaved");
    $("identity-text").textContent = text;
    $("token-form").hidden = method !== "token";
    $("device-check").hidden = method !== "device" || !!token || !box.widget;
    $("sign-in").hidden = method !== "oidc" || !!token;
    $("sign-in").href = box.signInUrl || "#";
    $("signed-in").hidden = method !== "oidc" || !token;
    if (method === "oidc" && token) {
      var until = new Date(expiry(token)).toLocaleTimeString(document.documentElement.lang);
      $("signed-in-text").textContent = t("signedIn", { until: until });
    }
  }

  function setup(contest, identity, t, say) {
    box.contest = contest;
    box.method = identity.method;
    box.signInUrl = identity.sign_in_url;
    box.t = t;
    box.say = say;
    if (box.method === "oidc") takeFragment();
    render();
  }

  $("sign-out").addEventListener("click", function () { localStorage.removeItem(key()); render(); });
  $("token-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = $("token-input").value.trim();
    if (!value) return;
    save(value);
    $("token-input").value = "";
    render();
    document.dispatchEvent(new Event("veche-identity"));
  });

  window.VecheIdentity = { setup: setup, ensure: ensure, token: saved, render: render };
})();
