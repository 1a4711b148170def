// The console's form builders on shared/dom.js: every control made through field() gets a visible label.
import { el } from "../shared/dom.js";

let serial = 0;

export function uid(prefix) { serial += 1; return `${prefix}-${serial}`; }

/** A labelled control: { label, name, type = "text" | "textarea" | "select" | "checkbox", options, hint, … } */
export function field({ label, name, type = "text", options = [], hint, value, ...attrs }) {
  const id = uid(name || "field");
  const control = makeControl(type, options, { id, name, ...attrs });
  if (value !== undefined && value !== null) {
    if (type === "checkbox") control.checked = !!value;
    else control.value = value;
  }
  const hintNode = hint ? el("small", { id: `${id}-hint`, class: "hint", text: hint }) : null;
  if (hintNode) control.setAttribute("aria-describedby", hintNode.id);
  const labelNode = el("label", { for: id, text: label });
  const wrap = el("div", { class: `field field-${type}` });
  if (type === "checkbox") wrap.append(control, labelNode);
  else wrap.append(labelNode, control);
  if (hintNode) wrap.append(hintNode);
  return wrap;
}

function makeControl(type, options, attrs) {
  if (type === "textarea") return el("textarea", { rows: 3, ...attrs });
  if (type !== "select") return el("input", { type, ...attrs });
  const select = el("select", attrs);
  for (const option of options) select.append(el("option", { value: option.value, text: option.label }));
  return select;
}

/** The values of a form's enabled named controls: checkboxes as booleans, everything else as trimmed text. */
export function values(form) {
  const found = {};
  for (const control of form.querySelectorAll("[name]")) {
    if (control.disabled) continue;  // another identity mode's fields, hidden
    found[control.name] = control.type === "checkbox" ? control.checked : control.value.trim();
  }
  return found;
}

/** A table whose rows become labelled cards on a phone (admin.css): each cell knows its column's heading. */
export function table(headings, rows, attrs = {}) {
  const head = el("thead", {}, el("tr", {}, headings.map((h) => el("th", { scope: "col", text: h }))));
  const grid = el("table", { class: "grid", ...attrs }, head, el("tbody"));
  addRows(grid, rows);
  return grid;
}

/** Appends rows to a table() (a further page of a list), labelling their cells for the phone layout. */
export function addRows(grid, rows) {
  const headings = [...grid.tHead.rows[0].cells].map((th) => th.textContent);
  for (const row of rows) [...row.children].forEach((cell, i) => { if (headings[i]) cell.dataset.label = headings[i]; });
  grid.tBodies[0].append(...rows);
}
