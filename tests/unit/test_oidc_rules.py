"""The checks that follow a valid signature: maximum age, nonce, claim requirement; the sign-in cookie."""

import time

import jwt
import pytest

from veche_gateway.auth import oidc_flow
from veche_shared import oidc
from veche_shared.contracts.catalog import ClaimRequirement
from veche_shared.contracts.common import utcnow

RULES = oidc.TokenRules("https://id.example", "client", leeway=0, max_age=3600)


def claims(**extra: object) -> dict[str, object]:
    return {
        "iss": "https://id.example",
        "aud": "client",
        "sub": "s",
        "iat": time.time(),
        "exp": time.time() + 60,
    } | extra


def test_maximum_age_counts_from_iat() -> None:
    oidc.check_claims(claims(iat=time.time() - 3500), RULES)
    with pytest.raises(oidc.TooOld):
        oidc.check_claims(claims(iat=time.time() - 3700), RULES)


def test_the_nonce_must_be_the_sign_ins() -> None:
    rules = oidc.TokenRules("https://id.example", "client", 0, nonce="n-1")
    oidc.check_claims(claims(nonce="n-1"), rules)
    for wrong in ({"nonce": "n-2"}, {}):
        with pytest.raises(jwt.InvalidTokenError):
            oidc.check_claims(claims(**wrong), rules)


def test_a_claim_requirement_needs_one_of_its_values() -> None:
    rules = oidc.TokenRules(
        "https://id.example", "client", 0, require=ClaimRequirement(claim="region", one_of=["perm"])
    )
    oidc.check_claims(claims(region="perm"), rules)
    for other in ({"region": "kazan"}, {}):
        with pytest.raises(oidc.MissingClaim):
            oidc.check_claims(claims(**other), rules)


def test_the_sign_in_cookie_is_signed_and_typed() -> None:
    pending = oidc_flow.begin("contest-1")
    key = "cookie-key-0123456789abcdef0123456789"
    assert oidc_flow.unseal(oidc_flow.seal(pending, key, utcnow()), key) == pending
    with pytest.raises(jwt.InvalidSignatureError):
        oidc_flow.unseal(oidc_flow.seal(pending, "another-key-0123456789abcdef012345", utcnow()), key)
    device = jwt.encode({"typ": "device", "exp": int(time.time()) + 60}, key, algorithm="HS256")
    with pytest.raises(jwt.InvalidTokenError):
        oidc_flow.unseal(device, key)
