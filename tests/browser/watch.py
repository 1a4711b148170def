"""What the browser tests watch on a page."""

from typing import Literal

from playwright.sync_api import ConsoleMessage, Page

Scheme = Literal["light", "dark"]  # the colour schemes every page is checked in (prefers-color-scheme)


def csp_violations(page: Page) -> list[str]:
    """The page's Content Security Policy refusals, collected as they are logged to its console."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            found.append(message.text)

    page.on("console", on_console)
    return found
