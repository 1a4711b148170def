// The municipality CSV upload of the Municipalities view: check or import a file, all or nothing, with the
// upload's progress and the server's verdict (counts, or every bad line with its column and reason).
import { el } from "../../shared/dom.js";
import { field, table } from "../forms.js";
import { wordsOf } from "../../shared/i18n.js";
import { upload } from "../transfer.js";

const t = wordsOf("csv_upload", {
  en: {
    uploadHeading: "Import from a CSV file", csvFile: "CSV file (UTF-8)",
    csvHint: "Header: id,country,name_ru,name_en,region_ru,region_en,lat,lon,population (a name in at least one language; any BCP 47 tag: name_<lang>). A file with any bad line imports nothing.",
    check: "Check only", importFile: "Import", chooseFile: "Choose a file first.", uploadProgress: "Upload",
    sending: "Sending: {percent}%", judging: "Sent; the server is checking every row…", elapsed: "{seconds} s",
    checked: "Checked {rows} rows: {fresh} would be new, {unchanged} are already registered. Nothing was written.",
    imported: "Imported {rows} rows: {created} new, {unchanged} already registered.",
    rejected: "{count} problem(s) in the file; nothing was imported.", colLine: "Line", colColumn: "Column",
    colProblem: "Problem", colWhy: "Details",
  },
  ru: {
    uploadHeading: "Загрузка из файла CSV", csvFile: "Файл CSV (UTF-8)",
    csvHint: "Заголовок: id,country,name_ru,name_en,region_ru,region_en,lat,lon,population (название хотя бы на одном языке; любой тег BCP 47: name_<lang>). Файл с любой ошибкой не загружается целиком.",
    check: "Только проверить", importFile: "Загрузить", chooseFile: "Сначала выберите файл.", uploadProgress: "Передача",
    sending: "Передано: {percent}%", judging: "Файл передан; сервер проверяет каждую строку…", elapsed: "{seconds} с",
    checked: "Проверено строк: {rows}; новых было бы {fresh}, уже зарегистрировано {unchanged}. Ничего не записано.",
    imported: "Загружено строк: {rows}; новых {created}, уже зарегистрировано {unchanged}.",
    rejected: "Ошибок в файле: {count}; ничего не загружено.", colLine: "Строка", colColumn: "Столбец",
    colProblem: "Ошибка", colWhy: "Подробности",
  },
});

export function problems(errors) {
  const rows = errors.map((e) => el("tr", { "data-line": e.line },
    el("td", { class: "num", text: e.line ?? "–" }), el("td", { text: e.column || "–" }),
    el("td", { text: e.code || "" }), el("td", { text: e.message || e.msg || "" })));
  return table(["colLine", "colColumn", "colProblem", "colWhy"].map(t), rows, { id: "import-problems" });
}

function verdict(summary) {
  const counts = { rows: summary.rows, created: summary.created, unchanged: summary.unchanged };
  return summary.dry_run ? t("checked", { ...counts, fresh: summary.rows - summary.unchanged }) : t("imported", counts);
}

export function csvUpload(ctx, imported) {
  const form = el("form", { class: "stack panel", id: "csv-upload" },
    el("h2", { text: t("uploadHeading") }),
    field({ label: t("csvFile"), name: "file", type: "file", accept: ".csv,text/csv", hint: t("csvHint") }));
  const bar = el("progress", { id: "upload-progress", max: 100, value: 0, "aria-label": t("uploadProgress"), hidden: true });
  const status = el("p", { id: "upload-status", role: "status", "aria-live": "polite" });
  // seconds since the upload began, outside the live region: a screen reader is told each stage once, not every tick
  const clock = el("p", { id: "upload-clock", class: "hint", hidden: true });
  const outcome = el("div", { id: "upload-outcome" });
  const button = (dryRun) => el("button", { type: "submit", value: dryRun ? "check" : "import",
    class: dryRun ? "secondary" : "" }, t(dryRun ? "check" : "importFile"));
  const buttons = [button(true), button(false)];
  form.append(el("div", { class: "buttons" }, buttons), bar, clock, status, outcome);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = form.elements.file.files[0];
    if (!file) { status.textContent = t("chooseFile"); form.elements.file.focus(); return; }
    const dryRun = event.submitter?.value === "check";
    const progress = (loaded, total) => {
      const percent = total ? Math.round((100 * loaded) / total) : 100;
      bar.value = percent;
      const stage = percent < 100 ? t("sending", { percent: Math.floor(percent / 10) * 10 }) : t("judging");
      if (status.textContent !== stage) status.textContent = stage;  // announced at each tenth, not every event
    };
    buttons.forEach((b) => { b.disabled = true; });
    const began = Date.now();
    const tick = setInterval(() => { clock.textContent = t("elapsed", { seconds: Math.round((Date.now() - began) / 1000) }); }, 1000);
    clock.textContent = "";
    clock.hidden = false;
    bar.hidden = false;
    outcome.replaceChildren();
    progress(0, file.size);
    upload(`/admin/municipality-imports${dryRun ? "?dry_run=true" : ""}`, file, "text/csv", progress)
      .then((summary) => { status.textContent = verdict(summary); if (!dryRun) imported(); })
      .catch((error) => {
        const byLine = error.code === "import_rejected" || error.errors.length;
        status.textContent = byLine ? t("rejected", { count: error.errors.length }) : t("failed", { why: error.message });
        if (error.errors.length) outcome.replaceChildren(problems(error.errors));
      })
      .finally(() => { clearInterval(tick); buttons.forEach((b) => { b.disabled = false; }); bar.hidden = true; clock.hidden = true; });
  });
  return form;
}
