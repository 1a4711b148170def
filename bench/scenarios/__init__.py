"""One module per benchmark scenario; bench/run.py calls them in order."""

CONTEST = "forum-2018"
NOMINATION = "peoples-diplomacy"
PRACTICE = "perm-peoples-diplomacy"
VOTE_PATH = f"/api/v1/contests/{CONTEST}/nominations/{NOMINATION}/votes"
LEADERBOARD_PATH = f"/api/v1/contests/{CONTEST}/nominations/{NOMINATION}/leaderboard"
STREAM_PATH = LEADERBOARD_PATH + "/stream"
VOTE_BODY = '{"practice": "' + PRACTICE + '"}'
