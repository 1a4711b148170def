"""`veche roll-upload CONTEST FILE.csv`: a contest's voter roll through the gateway's upload (the same checks,
the same audit entry as the console's), with the admin key from `--key` or VECHE_ADMIN_KEY."""

import argparse
import os
from pathlib import Path

import httpx


def register(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    upload = commands.add_parser("roll-upload", help="upload a contest's voter roll (CSV: header id)")
    upload.add_argument("contest")
    upload.add_argument("file", type=Path, help="UTF-8 CSV: a header line `id`, then one identifier a line")
    upload.add_argument("--mode", choices=("replace", "add"), default="replace", help="default: replace")
    upload.add_argument("--url", default=os.environ.get("VECHE_GATEWAY_URL", "http://127.0.0.1:8000"))
    upload.add_argument("--key", default=os.environ.get("VECHE_ADMIN_KEY"), help="an admin key (VECHE_ADMIN_KEY)")
    upload.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.key:
        print("an admin key is needed: --key or VECHE_ADMIN_KEY")
        return 2
    answer = httpx.post(
        f"{args.url}/api/v1/admin/roll-uploads",
        params={"contest": args.contest, "mode": args.mode},
        content=args.file.read_bytes(),
        headers={"X-API-Key": args.key, "Content-Type": "text/csv"},
        timeout=600,
    )
    body = answer.json()
    if answer.status_code != 200:
        print(f"refused ({answer.status_code} {body.get('code')}): {body.get('message')}")
        for problem in body.get("errors", []):
            print(f"  line {problem.get('line')}: {problem.get('code')}: {problem.get('message')}")
        return 1
    print(f"{body['mode']}: {body['added']} added, {body['already']} already on it; {body['entries']} on the roll")
    return 0
