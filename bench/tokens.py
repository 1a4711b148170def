"""Pre-generated voter tokens (one new voter each), written to files the wrk script reads.

The demo contest identifies voters by device: its tokens are the gateway's device tokens, signed with the
development device key that the gateway and the voting service share; a jwt contest gets HS256 voter JWTs.
"""

import itertools
from pathlib import Path

from veche_dev.demo_votes import DEMO_KEY, voter_token
from veche_shared import device_tokens
from veche_shared.contracts.common import utcnow

DEV_DEVICE_KEY = "dev-only-change-me-device-token-key-0123456789"


class TokenPool:
    """Hands out files of tokens for voters never used before in this run."""

    def __init__(self, folder: Path, contest: str, run_id: str, key: str = DEMO_KEY, *, device: bool = True) -> None:
        self.folder = folder
        self.contest = contest
        self.run_id = run_id
        self.key = key
        self.device = device
        self._serial = itertools.count()
        self._files = itertools.count()
        folder.mkdir(parents=True, exist_ok=True)

    def tokens(self, count: int) -> list[str]:
        if self.device:
            return [device_tokens.issue(DEV_DEVICE_KEY, self.contest, utcnow()) for _ in range(count)]
        return [voter_token(self.key, self.contest, f"bench-{self.run_id}-{next(self._serial)}") for _ in range(count)]

    def file(self, count: int) -> Path:
        path = self.folder / f"tokens-{next(self._files)}.txt"
        path.write_text("\n".join(self.tokens(count)) + "\n")
        return path
