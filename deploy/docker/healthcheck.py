"""Container health check: GET /healthz on this process's port (its VECHE_<SERVICE>_HTTP_PORT); exit 0 if 200."""

import os
import sys
import urllib.request


def port() -> str:
    ports = [value for name, value in os.environ.items() if name.startswith("VECHE_") and name.endswith("_HTTP_PORT")]
    return ports[0] if len(ports) == 1 else "8000"


def main() -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port()}/healthz", timeout=2) as answer:
            return 0 if answer.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
