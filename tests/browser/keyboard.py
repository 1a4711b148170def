"""A keyboard user in the browser tests: focus moves only by Tab and Shift+Tab, never by a click."""

from playwright.sync_api import Locator, Page, expect

MOST_STOPS = 80  # more Tab stops than any page has before its furthest control


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Presses Tab (Shift+Tab) until `target` has the focus; fails if the keyboard never reaches it."""
    expect(target).to_be_visible()
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MOST_STOPS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} x {MOST_STOPS} never reached {target}")
