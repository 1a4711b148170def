"""Use cases: the municipalities taking part, one by one or imported in batches."""

from veche_shared.contracts.catalog import Municipality
from veche_shared.contracts.submissions import (
    ImportMunicipalities,
    ImportProblem,
    ImportReport,
    RegisterMunicipality,
    UpdateMunicipality,
)
from veche_shared.errors import Conflict
from veche_submissions.core import Core, load, outbox_entry, stored_fields

COLLECTION = "municipalities"


class MunicipalityHandlers(Core):
    async def register_municipality(self, cmd: RegisterMunicipality) -> Municipality:
        """Register a municipality; unique per country and name."""
        what = f"municipality {cmd.id} or its name in {cmd.country}"
        return await self.create(Municipality(**cmd.model_dump()), "MunicipalityRegistered", what)

    async def update_municipality(self, cmd: UpdateMunicipality) -> Municipality:
        """Change a municipality (optimistic: expected_version); the name stays unique in its country."""
        municipality = await self.get(Municipality, cmd.municipality, "unknown_municipality")
        changes = cmd.model_dump(exclude_unset=True, exclude={"municipality", "expected_version"})
        return await self.revise(municipality, changes, "MunicipalityUpdated", cmd.expected_version)

    async def import_municipalities(self, cmd: ImportMunicipalities) -> ImportReport:
        """Register a batch: all or nothing; rows registered before with the same data are skipped."""
        wanted = [Municipality(**item.model_dump()) for item in cmd.items]
        unchanged, problems = await self._check_import(wanted)
        report = ImportReport(created=len(wanted) - len(unchanged), unchanged=len(unchanged), problems=problems)
        if problems and not cmd.dry_run:
            details = [p.model_dump() for p in problems]
            raise Conflict("import_conflicts", f"{len(problems)} rows clash with registered ones", details)
        if cmd.dry_run or report.created == 0:
            return report
        new = [m for i, m in enumerate(wanted) if i not in unchanged]
        events = [(m.id, stored_fields(m), outbox_entry(m, "MunicipalityRegistered")) for m in new]
        await self.relay.batches.insert(COLLECTION, events)
        return report

    async def _check_import(self, wanted: list[Municipality]) -> tuple[set[int], list[ImportProblem]]:
        """Rows registered before with the same data (skipped), and rows that clash with registered ones."""
        by_id = {d["_id"]: d for d in await self.repo.find(COLLECTION, {"_id": {"$in": [m.id for m in wanted]}})}
        names = list({stored_fields(m)["name_key"] for m in wanted})
        found = await self.repo.find(COLLECTION, {"name_key": {"$in": names}}, fields=["country", "name_key"])
        holders = {(d["country"], d["name_key"]): d["_id"] for d in found}
        unchanged: set[int] = set()
        problems: list[ImportProblem] = []
        for index, municipality in enumerate(wanted):
            if (doc := by_id.get(municipality.id)) is not None:
                if load(Municipality, doc).model_copy(update={"version": 1}) == municipality:
                    unchanged.add(index)
                else:
                    problems.append(ImportProblem(index=index, code="id_taken", message="registered with other data"))
            elif holder := holders.get((municipality.country, stored_fields(municipality)["name_key"])):
                message = f"the name is registered as {holder}"
                problems.append(ImportProblem(index=index, code="name_taken", message=message))
        return unchanged, problems
