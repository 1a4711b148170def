"""HS256 keys are checked once at start, and every token is still verified against them."""

import jwt
import pytest
from pydantic import SecretStr

from veche_shared import device_tokens
from veche_shared.contracts.catalog import Contest, IdentityMode
from veche_shared.contracts.common import utcnow
from veche_shared.errors import DomainError
from veche_voting.identity import Identity
from veche_voting.settings import VotingSettings

CONTEST = Contest.model_construct(id="c-1", title={"en": "C 1"}, identity_mode=IdentityMode.device)


async def test_device_tokens_are_verified_with_the_prepared_key() -> None:
    settings = VotingSettings()
    identity = Identity(settings)
    key = settings.device_token_key.get_secret_value()
    device = device_tokens.issue(key, CONTEST.id, utcnow())
    assert await identity.voter_subject(CONTEST, device) == device_tokens.verify(key, device, CONTEST.id, leeway=0)
    forged = device_tokens.issue("forged-key-0123456789abcdef0123456", CONTEST.id, utcnow())
    with pytest.raises(DomainError) as refused:
        await identity.voter_subject(CONTEST, forged)
    assert refused.value.code == "invalid_identity"


def test_an_asymmetric_key_as_hmac_secret_is_refused_at_start() -> None:
    ed25519 = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="
    pem = f"-----BEGIN PUBLIC KEY-----\n{ed25519}\n-----END PUBLIC KEY-----"
    with pytest.raises(jwt.InvalidKeyError):
        Identity(VotingSettings(device_token_key=SecretStr(pem)))
