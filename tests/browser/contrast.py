"""Non-text contrast (WCAG 2.2 1.4.11), which axe-core does not check: every visible text field, select and text
area must stand out from what is behind it by 3:1, with its border or with its own background."""

from playwright.sync_api import Page

FIELDS = """() => {
  const rgb = (colour) => (colour.match(/[\\d.]+/g) || []).map(Number);
  const opaque = (c) => c.length === 3 || c[3] > 0;
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = (node) => {
    for (let n = node.parentElement; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (opaque(c)) return c;
    }
    return [255, 255, 255];
  };
  const fields = document.querySelectorAll("input:not([type=hidden]):not([type=file]):not([type=checkbox])" +
    ":not([type=radio]), select, textarea");
  return [...fields].filter((n) => n.getClientRects().length > 0).map((n) => {
    const style = getComputedStyle(n), back = behind(n), own = rgb(style.backgroundColor);
    const border = parseFloat(style.borderTopWidth) > 0 ? ratio(rgb(style.borderTopColor), back) : 1;
    const fill = opaque(own) ? ratio(own, back) : 1;
    return { field: n.id || n.name || n.outerHTML.slice(0, 60), ratio: Math.max(border, fill) };
  });
}"""


def weak_fields(page: Page) -> list[str]:
    """The visible fields whose border and background both contrast less than 3:1 with what is behind them."""
    return [f"{f['field']}: {f['ratio']:.2f}:1" for f in page.evaluate(FIELDS) if f["ratio"] < 3]
