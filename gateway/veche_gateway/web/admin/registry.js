// The console's views. A view module calls register() when imported (views/index.js imports them all); the shell
// lists the views the operator's role may open and shows the one named in the address (#/<id>).
//
// register({
//   id: "audit",                        // address #/audit
//   label: "navAudit",                  // key of the navigation entry in the view's own words
//   t,                                  // the view's words: const t = wordsOf("audit", { en: {…}, ru: {…} })
//   role: "observer",                   // the lowest role that may open it
//   order: 50,                          // position in the navigation
//   needsContest: true,                 // shown only with a contest chosen in the shell
//   render(root, ctx) { ... },          // fill root; may return a function called when the view is left
// });
// ctx: { contest, contests, can(role), operator, say(text, kind), reload() (contests), refresh() (and the view),
//        setContest(id), go(id) }
import { t } from "../shared/i18n.js";

const views = new Map();

export function register(view) {
  if (views.has(view.id)) throw new Error(`view ${view.id} is registered twice`);
  views.set(view.id, { role: "observer", order: 100, needsContest: false, t, ...view });  // t: the common words
}

export function allViews() {
  return [...views.values()].sort((a, b) => a.order - b.order);
}

export function viewOf(id) { return views.get(id); }

/** The view named in location.hash ("#/moderation" -> "moderation"), or null. */
export function addressed() {
  const match = /^#\/([\w-]+)/.exec(location.hash);
  return match ? match[1] : null;
}
