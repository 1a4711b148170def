// A municipality chosen by typing part of its name or id: the input suggests registered municipalities (a datalist
// filled from the admin API as you type) and holds the chosen one's id.
import { el } from "../shared/dom.js";
import { pick } from "../shared/i18n.js";
import { get } from "../shared/operator.js";
import { field, uid } from "./forms.js";

const WAIT_MS = 250;
const SUGGESTED = 20;

export function municipalitySearch({ label, hint, name = "municipality" }) {
  const list = el("datalist", { id: uid("towns") });
  const wrap = field({ label, name, required: true, maxlength: 64, autocomplete: "off", list: list.id, hint });
  const input = wrap.querySelector("input");
  let timer = null, asked = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) return;
    timer = setTimeout(() => {
      const serial = ++asked;  // only the last question's answer fills the list
      get(`/admin/municipalities?${new URLSearchParams({ q: text, limit: String(SUGGESTED) })}`).then((page) => {
        if (serial !== asked) return;
        list.replaceChildren(...page.items.map((m) => el("option", { value: m.id, label: `${pick(m.name)} (${m.country})` })));
      }).catch(() => {});  // no suggestions; the id can still be typed
    }, WAIT_MS);
  });
  wrap.append(list);
  return wrap;
}
