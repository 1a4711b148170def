"""An operator command's request on a keyed subject acts as the operator of its key, checked by the service itself
(docs/adr/0017-the-writing-service-records-the-change.md); what the request says of itself changes nothing."""

from veche_dev.factories import operator_key
from veche_shared.contracts.audit import Actor
from veche_shared.operations import submissions as ops
from veche_shared.rpc.actors import OPERATOR_KEY_HEADER, actor_headers, keyed_actor

KEYS = [operator_key("anna", "admin", "key-of-anna"), operator_key("olga", "observer", "key-of-olga")]


def test_a_keyed_request_acts_as_the_operator_of_its_key() -> None:
    actor = keyed_actor({OPERATOR_KEY_HEADER: "key-of-anna"}, KEYS, "admin")
    assert actor == Actor(kind="operator", name="anna", role="admin", via="cli")


def test_no_key_a_wrong_key_or_a_lower_role_is_no_actor() -> None:
    assert keyed_actor({}, KEYS, "admin") is None
    assert keyed_actor({OPERATOR_KEY_HEADER: "a-guess"}, KEYS, "admin") is None
    assert keyed_actor({OPERATOR_KEY_HEADER: "key-of-olga"}, KEYS, "moderator") is None


def test_the_actor_a_request_names_cannot_change_who_acts() -> None:
    claimed = actor_headers(Actor(kind="operator", name="mallory", role="admin", action="import-municipalities"))
    actor = keyed_actor(claimed | {OPERATOR_KEY_HEADER: "key-of-anna"}, KEYS, "admin")
    assert actor is not None
    assert (actor.name, actor.role, actor.via, actor.action) == ("anna", "admin", "cli", "import-municipalities")


def test_the_commands_ask_on_keyed_subjects_of_their_own() -> None:
    assert ops.MUNICIPALITY_IMPORT.keyed_subject == "svc.submissions.keyed.municipality.import"
    assert (ops.MUNICIPALITY_IMPORT.by_key, ops.PRACTICE_APPROVE.by_key, ops.PRACTICE_REJECT.by_key) == (
        "admin", "moderator", None,
    )  # fmt: skip
