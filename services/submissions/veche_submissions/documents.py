"""How catalog entities are kept as documents, for both adapters of the store (Mongo and in memory): the collection
of each entity, its key, the stored fields (with the lower-cased keys that uniqueness and search use), and back."""

from typing import Any, TypeVar

from pydantic import BaseModel

from veche_shared.contracts.catalog import Contest, Municipality, Nomination, Practice
from veche_shared.contracts.texts import pick

Doc = dict[str, Any]
OUTBOX = "_outbox"
CatalogEntity = Contest | Nomination | Municipality | Practice
Entity = TypeVar("Entity", Contest, Nomination, Municipality, Practice)
COLLECTION: dict[type[CatalogEntity], str] = {
    Contest: "contests", Nomination: "nominations", Municipality: "municipalities", Practice: "practices",
}  # fmt: skip
# the fields each collection keeps unique besides _id (unique indexes in Mongo, the same check in memory)
UNIQUE: dict[str, tuple[str, ...]] = {
    "municipalities": ("country", "name_key"), "practices": ("contest", "nomination", "municipality"),
}  # fmt: skip


def load(model: type[Entity], doc: Doc) -> Entity:
    """An entity from its document (the key may be scoped: `<contest>:<nomination>`)."""
    fields = {k: v for k, v in doc.items() if k in model.model_fields and k != "id"}
    return model.model_validate({"id": doc["_id"].split(":")[-1], **fields})


def key_of(entity: BaseModel) -> str:
    if isinstance(entity, Nomination):
        return f"{entity.contest}:{entity.id}"
    return str(getattr(entity, "id"))  # noqa: B009 - every entity has an id


def stored_fields(entity: BaseModel) -> Doc:
    """The document fields: the entity plus the lower-cased keys that uniqueness and search use."""
    fields = entity.model_dump(mode="json", exclude={"id"})
    if isinstance(entity, Municipality):
        # English first, as before names were maps: the keys of municipalities registered then stay the same
        fields["name_key"] = pick(entity.name, "en").casefold()
        fields["names_key"] = "\n".join(entity.name.values()).casefold()  # what a search by name looks in
    if isinstance(entity, Practice):
        # every language's title, one per line: a title search matches the title in any language
        fields["title_key"] = "\n".join(entity.title.values()).casefold()
    return fields
