/* The nominations as a WAI-ARIA tablist: one tab in the Tab order (roving tabindex), arrow keys, Home and End
   move to a tab and select it (automatic activation), the practices section is the tab panel. */
(function () {
  "use strict";

  function keyTarget(key, index, count) {
    if (key === "ArrowRight" || key === "ArrowDown") return (index + 1) % count;
    if (key === "ArrowLeft" || key === "ArrowUp") return (index - 1 + count) % count;
    if (key === "Home") return 0;
    if (key === "End") return count - 1;
    return -1;
  }

  /* items: [{id, label}]; panel: the element the tabs control; onSelect(id) is called on a change. */
  function render(list, items, selected, panel, onSelect) {
    var focused = list.contains(document.activeElement);
    list.textContent = "";
    list.setAttribute("aria-orientation", "horizontal");
    items.forEach(function (item, index) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.className = "nomination";
      tab.id = "tab-" + item.id;
      tab.textContent = item.label;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", String(item.id === selected));
      tab.setAttribute("aria-controls", panel.id);
      tab.tabIndex = item.id === selected ? 0 : -1;
      tab.dataset.nomination = item.id;
      tab.addEventListener("click", function () { if (item.id !== selected) onSelect(item.id); });
      tab.addEventListener("keydown", function (event) {
        var next = keyTarget(event.key, index, items.length);
        if (next < 0) return;
        event.preventDefault();
        onSelect(items[next].id);
      });
      list.appendChild(tab);
    });
    panel.setAttribute("aria-labelledby", "tab-" + selected);
    var current = document.getElementById("tab-" + selected);
    if (focused && current) current.focus();  /* keep the keyboard where it was after the list is redrawn */
  }

  window.VecheTabs = { render: render };
})();
