/* The iframe page /embed/contests/{c}/nominations/{n}?lang=ru|en&theme=light|dark */
(function () {
  "use strict";
  var match = location.pathname.match(/^\/embed\/contests\/([A-Za-z0-9_-]+)\/nominations\/([A-Za-z0-9_-]+)\/?$/);
  var params = new URLSearchParams(location.search);
  var lang = params.get("lang") === "ru" ? "ru" : params.get("lang") === "en" ? "en" : undefined;
  var theme = params.get("theme");
  if (theme === "dark" || theme === "light") document.documentElement.classList.add("veche-" + theme);
  if (lang) document.documentElement.lang = lang;
  var el = document.getElementById("board");
  if (!match) { el.textContent = "Unknown leaderboard"; return; }
  window.Veche.follow(el, match[1], match[2], { lang: lang, transport: params.get("transport"),
                                                vote: params.get("vote") });
  if (theme === "light" || theme === "dark") el.firstChild.classList.add("veche-" + theme);
})();
