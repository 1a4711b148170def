"""MongoDB through PyMongo's AsyncMongoClient (Motor is end-of-life)."""

from typing import Any

from pymongo import AsyncMongoClient


def make_mongo(url: str, app: str) -> AsyncMongoClient[dict[str, Any]]:
    return AsyncMongoClient(url, appname=f"veche-{app}", serverSelectionTimeoutMS=5_000, tz_aware=True)


async def ping(client: AsyncMongoClient[dict[str, Any]]) -> bool:
    try:
        await client.admin.command("ping")
    except Exception:
        return False
    return True
