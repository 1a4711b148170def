/* After publication: the certified results (the certificate, its digest, the standings of the nomination) and
   how anyone checks them with `veche verify`, from the certificate and the organiser's anonymised ballots. */
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function facts(cert, t, lang) {
    var list = el("dl", "cert-facts");
    [["certDigest", cert.digest_sha256], ["certBallots", cert.ballots.toLocaleString(lang)],
     ["certAnnulled", cert.annulled.toLocaleString(lang)],
     ["certSequence", cert.ledger_last_sequence.toLocaleString(lang)],
     ["certIssued", new Date(cert.issued_at).toLocaleString(lang)]].forEach(function (pair) {
      list.appendChild(el("dt", "", t(pair[0])));
      var value = list.appendChild(el("dd", pair[0] === "certDigest" ? "cert-digest" : ""));
      value.appendChild(el(pair[0] === "certDigest" ? "code" : "span", "", pair[1]));
    });
    return list;
  }

  function standings(cert, nomination, titles, t, votes) {
    var table = el("table", "cert-standings"), head = table.createTHead().insertRow();
    head.appendChild(el("th", "", t("certPractice"))).scope = "col";
    head.appendChild(el("th", "", t("certVotes"))).scope = "col";
    var body = table.createTBody(), counted = cert.standings[nomination] || {};
    Object.keys(counted).sort(function (a, b) { return counted[b] - counted[a]; }).forEach(function (practice) {
      var row = body.insertRow();
      row.appendChild(el("th", "", titles[practice] || practice)).scope = "row";
      row.appendChild(el("td", "", votes(counted[practice])));
    });
    return table;
  }

  function howToVerify(url, t) {
    var box = el("div", "verify");
    box.appendChild(el("h3", "", t("verifyHow")));
    var steps = box.appendChild(el("ol"));
    var first = steps.appendChild(el("li", "", t("verifyStep1") + " "));
    first.appendChild(el("pre")).appendChild(el("code", "", "curl -o certificate.json " + url));
    steps.appendChild(el("li", "", t("verifyStep2")));
    var third = steps.appendChild(el("li", "", t("verifyStep3") + " "));
    third.appendChild(el("pre")).appendChild(el("code", "", "veche verify certificate.json ballots.jsonl"));
    return box;
  }

  /* Fills section (hidden until a certificate exists); titles: practice id -> title of this nomination. */
  function show(section, contest, nomination, titles, t, lang, votes) {
    var path = "/api/v1/contests/" + encodeURIComponent(contest) + "/certificate";
    return fetch(path).then(function (answer) { return answer.ok ? answer.json() : null; }).then(function (cert) {
      var body = section.querySelector(".cert-body");
      body.textContent = "";
      section.hidden = false;
      if (!cert) { body.appendChild(el("p", "", t("certMissing"))); return; }
      body.appendChild(facts(cert, t, lang));
      body.appendChild(standings(cert, nomination, titles, t, votes));
      var download = body.appendChild(el("a", "cert-download", t("certDownload")));
      download.href = path;
      download.setAttribute("download", "certificate.json");
      body.appendChild(howToVerify(location.origin + path, t));
    });
  }

  window.VecheResults = { show: show };
})();
