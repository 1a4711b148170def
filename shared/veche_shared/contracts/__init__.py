"""Message contracts: every model that crosses a process boundary."""
