"""Sign in with OpenID Connect against a REAL provider (panva/oidc-provider run by node), then vote: the platform
runs as processes, the provider's login and consent pages are walked as a browser would (httpx, cookies)."""

import functools
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from tests.live_helpers import admin_client, open_contest, running_platform
from tests.oidc_provider import (
    CLIENT_SECRET,
    Provider,
    client,
    code_redirect,
    fragment,
    running_provider,
    sign_in,
    signing_key,
)
from veche_dev import devstack

ADMIN_KEY = "e2e-oidc-admin-key-not-a-secret"
CLIENT_ID = "veche-city"
CALLBACK = "/api/v1/sign-in/callback"


@pytest.fixture(scope="module")
def direct_port() -> int:
    """The port of the provider whose JWKS URL the voting service knows for direct JWTs (key reference `city`)."""
    return devstack.free_port()


@pytest.fixture(scope="module")
def platform(infra: dict[str, str], direct_port: int) -> Iterator[devstack.Platform]:
    with running_platform(
        infra,
        "oidc",
        ADMIN_KEY,
        VECHE_GATEWAY_OIDC_CLIENT_SECRETS=f'{{"city": "{CLIENT_SECRET}"}}',
        VECHE_GATEWAY_JWKS_REFETCH_SECONDS="0",
        VECHE_VOTING_JWKS_REFETCH_SECONDS="0",
        VECHE_VOTING_CLOCK_SKEW="0",
        VECHE_VOTING_JWT_JWKS_URLS=f'{{"city": "http://127.0.0.1:{direct_port}/jwks"}}',
        VECHE_GATEWAY_RATE_SIGN_IN__BURST="1000",  # every sign-in of this module comes from one address
        VECHE_GATEWAY_RATE_SIGN_IN__PER_SECOND="1000",
    ) as started:
        yield started


def provider_for(platform: devstack.Platform, **options: Any) -> Any:
    redirect = platform.url() + CALLBACK
    keys = options.pop("keys", None) or [signing_key(f"k-{uuid.uuid4().hex[:6]}")]
    return running_provider(platform.log_dir, [client(CLIENT_ID, redirect)], keys, **options)


@pytest.fixture(scope="module")
def provider(platform: devstack.Platform, direct_port: int) -> Iterator[Provider]:
    accounts = {"resident": {"region": "perm"}, "visitor": {"region": "kazan"}}
    with provider_for(platform, port=direct_port, accounts=accounts) as started:
        yield started


@pytest.fixture(scope="module")
def other_provider(platform: devstack.Platform) -> Iterator[Provider]:
    """Another issuer that knows a client of the same id."""
    with provider_for(platform) as started:
        yield started


@pytest.fixture
def admin(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with admin_client(platform, ADMIN_KEY) as c:
        yield c


@pytest.fixture
def browser(platform: devstack.Platform) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=platform.url(), timeout=15) as c:
        yield c


def oidc_contest(admin: httpx.Client, contest: str, issuer: str, **extra: Any) -> str:
    settings = {"issuer": issuer, "client_id": CLIENT_ID, "client_secret_ref": "city", "scopes": ["openid", "region"]}
    [practice] = open_contest(admin, contest, oidc=settings | extra.pop("oidc", {}), **extra)
    return practice


def ballot(api: httpx.Client, contest: str, practice: str, token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
    return api.post(f"/api/v1/contests/{contest}/nominations/n0/votes", json={"practice": practice}, headers=headers)


def id_token(api: httpx.Client, contest: str, login: str) -> str:
    """Sign in as `login` in a fresh browser (the provider would remember the last login of an old one)."""
    with httpx.Client(base_url=str(api.base_url), timeout=15) as browser:
        found = fragment(sign_in(browser, f"/api/v1/contests/{contest}/sign-in", login))
    assert "id_token" in found, found
    return found["id_token"]


def test_sign_in_then_one_ballot(browser: httpx.Client, admin: httpx.Client, provider: Provider, uid: str) -> None:
    contest = f"oidc-{uid}"
    practice = oidc_contest(admin, contest, provider.issuer)
    identity = browser.get(f"/api/v1/contests/{contest}/identity").json()
    assert identity == {"contest": contest, "method": "oidc", "sign_in_url": f"/api/v1/contests/{contest}/sign-in"}
    start = browser.get(identity["sign_in_url"])
    assert start.status_code == 302
    assert start.headers["location"].startswith(provider.issuer + "/auth?")
    assert "code_challenge_method=S256" in start.headers["location"]
    assert "nonce=" in start.headers["location"]
    token = id_token(browser, contest, f"alice-{uid}")
    assert ballot(browser, contest, practice, token).status_code == 202
    again = ballot(browser, contest, practice, id_token(browser, contest, f"alice-{uid}"))
    assert (again.status_code, again.json()["code"]) == (409, "already_voted"), "the same `sub` again"
    mine = browser.get(
        f"/api/v1/contests/{contest}/nominations/n0/my-ballot", headers={"Authorization": f"Bearer {token}"}
    )
    assert mine.json()["practice"] == practice
    assert ballot(browser, contest, practice, id_token(browser, contest, f"bob-{uid}")).status_code == 202


def test_a_token_of_another_issuer_is_refused(
    browser: httpx.Client, admin: httpx.Client, provider: Provider, other_provider: Provider, uid: str
) -> None:
    practice = oidc_contest(admin, f"here-{uid}", provider.issuer)
    oidc_contest(admin, f"there-{uid}", other_provider.issuer)
    foreign = id_token(browser, f"there-{uid}", f"carol-{uid}")
    refused = ballot(browser, f"here-{uid}", practice, foreign)
    assert (refused.status_code, refused.json()["code"]) == (403, "invalid_identity")


def test_an_expired_id_token_is_refused(
    browser: httpx.Client, admin: httpx.Client, platform: devstack.Platform, uid: str
) -> None:
    with provider_for(platform, id_token_ttl=1) as short_lived:
        practice = oidc_contest(admin, f"brief-{uid}", short_lived.issuer)
        token = id_token(browser, f"brief-{uid}", f"dave-{uid}")
        expires = jwt.decode(token, options={"verify_signature": False})["exp"]
        time.sleep(max(0.0, expires - time.time()) + 0.1)  # the platform runs without clock skew (above)
        refused = ballot(browser, f"brief-{uid}", practice, token)
    assert (refused.status_code, refused.json()["code"]) == (403, "invalid_identity")
    assert "ExpiredSignatureError" in refused.json()["detail"]  # refused for its age, not for anything else


def test_a_replayed_or_foreign_callback_is_refused(
    platform: devstack.Platform, admin: httpx.Client, provider: Provider, uid: str
) -> None:
    contest = f"replay-{uid}"
    oidc_contest(admin, contest, provider.issuer)
    with httpx.Client(base_url=platform.url(), timeout=15) as first, httpx.Client(base_url=platform.url()) as second:
        answer = code_redirect(first, f"/api/v1/contests/{contest}/sign-in", f"erin-{uid}")
        cookies = {c.name: c.value or "" for c in first.cookies.jar if c.name == "veche_sign_in"}
        code_redirect(second, f"/api/v1/contests/{contest}/sign-in", f"mallory-{uid}")
        stolen = second.get(answer)  # another browser's sign-in in progress: its state differs
        assert (stolen.status_code, stolen.json()["code"]) == (400, "wrong_state")
        assert "id_token" in fragment(first.get(answer))
        replayed = httpx.get(answer, cookies=cookies, timeout=15)
        assert (replayed.status_code, replayed.json()["code"]) == (409, "sign_in_replayed")
        no_cookie = httpx.get(answer, timeout=15)
        assert (no_cookie.status_code, no_cookie.json()["code"]) == (400, "no_sign_in")


def test_a_claim_requirement_keeps_others_out(
    browser: httpx.Client, admin: httpx.Client, provider: Provider, uid: str
) -> None:
    contest = f"perm-{uid}"
    requirement = {"require_claim": {"claim": "region", "one_of": ["perm"]}}
    practice = oidc_contest(admin, contest, provider.issuer, oidc=requirement)
    with httpx.Client(base_url=str(browser.base_url), timeout=15) as fresh:
        visitor = fragment(sign_in(fresh, f"/api/v1/contests/{contest}/sign-in", "visitor"))
        # the landing nonce names our own redirect; the page takes the fragment only with the cookie of the same
        assert visitor.pop("landing") == fresh.cookies["veche_landing"]
    assert visitor == {"sign_in_error": "missing_claim"}
    assert ballot(browser, contest, practice, id_token(browser, contest, "resident")).status_code == 202


def test_direct_jwts_from_a_jwks_url_with_the_issuer_checked(
    browser: httpx.Client, admin: httpx.Client, provider: Provider, uid: str
) -> None:
    """A city's own app sends ballots with its tokens: here ID tokens of the provider, checked by its JWKS URL."""
    oidc_contest(admin, f"app-{uid}", provider.issuer)
    token = id_token(browser, f"app-{uid}", f"frank-{uid}")
    direct = functools.partial(open_contest, admin, jwt_key_ref="city", jwt_audience=CLIENT_ID)
    [practice] = direct(f"direct-{uid}", jwt_issuer=provider.issuer)
    [other] = direct(f"wrong-iss-{uid}", jwt_issuer="https://id.elsewhere.example")
    assert ballot(browser, f"direct-{uid}", practice, token).status_code == 202
    refused = ballot(browser, f"wrong-iss-{uid}", other, token)
    assert (refused.status_code, refused.json()["code"]) == (403, "invalid_identity")


def test_the_providers_key_rotation_needs_no_restart(
    browser: httpx.Client, admin: httpx.Client, platform: devstack.Platform, uid: str
) -> None:
    port = devstack.free_port()
    old, new = signing_key("old"), signing_key("new")
    with provider_for(platform, port=port, keys=[old]) as before:
        practice = oidc_contest(admin, f"rotate-{uid}", before.issuer, nominations=1)
        assert (
            ballot(browser, f"rotate-{uid}", practice, id_token(browser, f"rotate-{uid}", f"gina-{uid}")).status_code
            == 202
        )
    with provider_for(platform, port=port, keys=[new, old]):
        token = id_token(browser, f"rotate-{uid}", f"hank-{uid}")
        assert ballot(browser, f"rotate-{uid}", practice, token).status_code == 202


def test_a_sign_in_from_a_practice_page_comes_back_to_it_and_only_to_this_contest(
    admin: httpx.Client, provider: Provider, uid: str, platform: devstack.Platform
) -> None:
    contest = f"back-{uid}"
    practice = oidc_contest(admin, contest, provider.issuer)
    page = f"/en/contests/{contest}/nominations/n0/practices/{practice}"
    with httpx.Client(base_url=platform.url(), timeout=15) as fresh:
        answer = sign_in(fresh, f"/api/v1/contests/{contest}/sign-in?back={page}", f"reader-{uid}")
    assert answer.headers["location"].startswith(page + "#id_token=")
    with httpx.Client(base_url=platform.url(), timeout=15) as other:
        foreign = other.get(f"/api/v1/contests/{contest}/sign-in", params={"back": page.replace(contest, "elsewhere")})
        assert (foreign.status_code, foreign.json()["code"]) == (422, "invalid_request")
        offsite = other.get(f"/api/v1/contests/{contest}/sign-in", params={"back": "https://evil.example/"})
        assert (offsite.status_code, offsite.json()["code"]) == (422, "invalid_request")
        plain = fragment(sign_in(other, f"/api/v1/contests/{contest}/sign-in", f"plain-{uid}"))
    assert "id_token" in plain
