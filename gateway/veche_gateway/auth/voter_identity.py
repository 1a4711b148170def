"""How a contest's voters prove who they are, as the public pages offer it: the API's /identity answers it, and a
practice's page carries it in its HTML (no request before its Vote button works)."""

from typing import Literal

from pydantic import Field

from veche_shared.contracts.catalog import Contest, IdentityMode
from veche_shared.contracts.common import Contract, Id


class VoterIdentity(Contract):
    """What the public page offers a voter of this contest."""

    contest: Id
    method: Literal["device", "oidc", "token", "organiser_app"] = Field(
        description="device: anonymous device token; oidc: sign in with the organiser's provider; token: paste a "
        "voter JWT (development); organiser_app: ballots come from the organiser's own app"
    )
    sign_in_url: str | None = Field(None, description="where the browser goes to sign in (method oidc)")


def identity_of(contest: Contest, voter_token_field: bool) -> VoterIdentity:
    """A device check, the organiser's sign-in, a pasted token (if the gateway reads voter tokens), else an app."""
    if contest.identity_mode == IdentityMode.device:
        return VoterIdentity(contest=contest.id, method="device")
    if contest.oidc is not None:
        return VoterIdentity(contest=contest.id, method="oidc", sign_in_url=f"/api/v1/contests/{contest.id}/sign-in")
    return VoterIdentity(contest=contest.id, method="token" if voter_token_field else "organiser_app")
