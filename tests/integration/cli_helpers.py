"""The `veche` operator command line in this process, through `veche_dev.cli.main`: no interpreter to start (several
seconds each on a busy machine). test_operator_commands.py and the 10,000-row import still run the real
`python -m veche_dev.cli`."""

import asyncio
import contextlib
import io

from veche_dev import cli


async def veche_in_process(*args: str) -> tuple[int, str, str]:
    """The exit status of `veche args` and what it wrote to stdout and to stderr. In a thread: the command runs its
    own event loop, and the test's services keep answering on the test's loop meanwhile."""
    out, err = io.StringIO(), io.StringIO()

    def run() -> int:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return cli.main(list(args))

    code = await asyncio.to_thread(run)
    return code, out.getvalue(), err.getvalue()
