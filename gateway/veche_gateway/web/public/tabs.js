// The nominations as a WAI-ARIA tablist: one tab in the Tab order (roving tabindex), arrow keys, Home and End
// move to a tab and select it (automatic activation), the practices section is the tab panel.
import { $, el } from "../shared/dom.js";

/** The index a key moves to from index among count tabs, or -1 for a key that moves nowhere. */
export function keyTarget(key, index, count) {
  if (key === "ArrowRight" || key === "ArrowDown") return (index + 1) % count;
  if (key === "ArrowLeft" || key === "ArrowUp") return (index - 1 + count) % count;
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return -1;
}

/** items: [{id, label, done}] (done: words said after the label of a nomination voted in, shown as ✓); panel: the element the tabs control; onSelect(id) is called on a change. */
export function renderTabs(list, items, selected, panel, onSelect) {
  const focused = list.contains(document.activeElement);
  list.setAttribute("aria-orientation", "horizontal");
  list.replaceChildren(...items.map((item, index) => el("button", {
    type: "button", class: "nomination", id: `tab-${item.id}`, role: "tab", "aria-selected": String(item.id === selected),
    "aria-controls": panel.id, tabindex: item.id === selected ? "0" : "-1", "data-nomination": item.id,
    onclick: () => { if (item.id !== selected) onSelect(item.id); },
    onkeydown: (event) => {
      const next = keyTarget(event.key, index, items.length);
      if (next < 0) return;
      event.preventDefault();
      onSelect(items[next].id);
    },
  }, item.done ? el("span", { class: "tick", "aria-hidden": "true" }, "✓ ") : null, item.label,
  item.done ? el("span", { class: "visually-hidden" }, ` (${item.done})`) : null)));
  panel.setAttribute("aria-labelledby", `tab-${selected}`);
  const current = $(`tab-${selected}`);
  if (focused && current) current.focus();  // keep the keyboard where it was after the list is redrawn
}
