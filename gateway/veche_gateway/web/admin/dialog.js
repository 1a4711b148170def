// One modal dialog for confirmations and reasons. showModal() keeps focus inside and makes the page behind inert;
// Escape cancels; focus goes back to the control that opened it.
import { $, el } from "../shared/dom.js";
import { field, values } from "./forms.js";
import { t } from "../shared/i18n.js";

/**
 * Opens the dialog and resolves with run()'s result, or null if cancelled. run(values) performs the action; if it
 * throws, the dialog stays open and shows why. fields: [{ name, label, type, required }].
 */
export function confirmAction({ title, body, confirm, danger = false, fields = [], run }) {
  const dialog = $("dialog");
  const opener = document.activeElement;
  $("dialog-title").textContent = title;
  $("dialog-body").replaceChildren(...[].concat(body).map((line) => el("p", { text: line })));
  $("dialog-fields").replaceChildren(...fields.map((f) => field(f)));
  $("dialog-error").textContent = "";
  $("dialog-cancel").textContent = t("cancel");
  $("dialog-confirm").textContent = confirm || t("confirm");
  $("dialog-confirm").classList.toggle("danger", danger);
  return new Promise((resolve) => {
    const form = $("dialog-form");
    const finish = (result) => {
      form.removeEventListener("submit", onSubmit);
      dialog.removeEventListener("cancel", onCancel);
      dialog.close();
      if (opener && opener.isConnected) opener.focus();
      resolve(result);
    };
    const onCancel = (event) => { event.preventDefault(); finish(null); };
    const onSubmit = async (event) => {
      event.preventDefault();
      if (event.submitter && event.submitter.value === "cancel") { finish(null); return; }
      if (!form.reportValidity()) return;
      $("dialog-confirm").disabled = true;
      try {
        finish(await run(values($("dialog-fields"))));
      } catch (error) {
        $("dialog-error").textContent = t("failed", { why: error.message });
      } finally {
        $("dialog-confirm").disabled = false;
      }
    };
    form.addEventListener("submit", onSubmit);
    dialog.addEventListener("cancel", onCancel);
    dialog.showModal();
    const first = $("dialog-fields").querySelector("input, textarea, select");
    (first || $("dialog-cancel")).focus();  // a field to fill, or the harmless choice first
  });
}
