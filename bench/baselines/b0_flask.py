"""B0: example-voting-app's vote path: a Flask view that pushes each vote onto a Redis list.

Served by gunicorn (as example-voting-app does): gunicorn bench.baselines.b0_flask:app, REDIS_PORT in the env.
"""

import json
import os

from flask import Flask, Response, jsonify, request
from redis import Redis

app = Flask(__name__)
redis = Redis(host="127.0.0.1", port=int(os.environ.get("REDIS_PORT", "6379")), socket_timeout=5)


@app.post("/api/v1/contests/<contest>/nominations/<nomination>/votes")
def vote(contest: str, nomination: str) -> tuple[Response, int]:
    body = request.get_json(force=True)
    voter = request.headers.get("Authorization", "")[-16:]
    data = json.dumps({"voter_id": voter, "contest": contest, "nomination": nomination, "vote": body["practice"]})
    redis.rpush("votes", data)
    return jsonify(status="accepted"), 202


@app.get("/readyz")
def ready() -> tuple[Response, int]:
    return jsonify(ready=bool(redis.ping())), 200
