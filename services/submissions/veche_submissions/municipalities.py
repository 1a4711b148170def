"""Use cases: the municipalities taking part, one by one or imported in batches."""

from veche_shared.contracts.catalog import Municipality
from veche_shared.contracts.submissions import (
    ImportMunicipalities,
    ImportProblem,
    ImportReport,
    RegisterMunicipality,
    UpdateMunicipality,
)
from veche_shared.contracts.texts import DEFAULT_LANGUAGE, in_language
from veche_shared.errors import AlreadyExists, Conflict
from veche_submissions.core import Core, outbox_entry
from veche_submissions.documents import load, stored_fields


class MunicipalityHandlers(Core):
    async def register_municipality(self, cmd: RegisterMunicipality) -> Municipality:
        """Register a municipality; unique per country and name."""
        what = f"municipality {cmd.id} or its name in {cmd.country}"
        municipality = Municipality(**in_language(cmd.model_dump(), DEFAULT_LANGUAGE))
        return await self.create(municipality, "MunicipalityRegistered", what)

    async def update_municipality(self, cmd: UpdateMunicipality) -> Municipality:
        """Change a municipality (optimistic: expected_version); the name stays unique in its country."""
        municipality = await self.get(Municipality, cmd.municipality, "unknown_municipality")
        changes = cmd.model_dump(exclude_unset=True, exclude={"municipality", "expected_version"})
        changes = in_language(changes, DEFAULT_LANGUAGE)  # a municipality belongs to no contest
        return await self.revise(municipality, changes, "MunicipalityUpdated", cmd.expected_version)

    async def import_municipalities(self, cmd: ImportMunicipalities) -> ImportReport:
        """Register a batch: all or nothing; rows registered before with the same data are skipped."""
        wanted = [Municipality(**in_language(item.model_dump(), DEFAULT_LANGUAGE)) for item in cmd.items]
        if cmd.dry_run:
            return await self._check_report(wanted)
        change = {"rows": len(wanted), "ids": [m.id for m in wanted]}
        async with self.trail.change("MunicipalitiesImported", contest=None, target={}, change=change):
            return await self._import(wanted)

    async def _import(self, wanted: list[Municipality]) -> ImportReport:
        # A client that checked first sends only new rows: insert them at once, the unique indexes guarding ids
        # and names (checking reads the whole collection on FerretDB). Refused: nothing written, check, answer.
        if await self._insert(wanted):
            return ImportReport(created=len(wanted), unchanged=0)
        report = await self._check_report(wanted)
        if report.problems:
            details = [p.model_dump() for p in report.problems]
            raise Conflict("import_conflicts", f"{len(report.problems)} rows clash with registered ones", details)
        if report.created == 0:
            return report
        if not await self._insert([m for i, m in enumerate(wanted) if i not in set(report.unchanged_at)]):
            raise AlreadyExists("some rows were registered meanwhile; run the import again")
        return report

    async def _check_report(self, wanted: list[Municipality]) -> ImportReport:
        unchanged, problems = await self._check_import(wanted)
        return ImportReport(
            created=len(wanted) - len(unchanged), unchanged=len(unchanged), unchanged_at=sorted(unchanged),
            problems=problems,
        )  # fmt: skip

    async def _insert(self, new: list[Municipality]) -> bool:
        return await self.events.insert_batch(
            [(m, outbox_entry(m, "MunicipalityRegistered", self.clock())) for m in new]
        )

    async def _check_import(self, wanted: list[Municipality]) -> tuple[set[int], list[ImportProblem]]:
        """Rows registered before with the same data (skipped), and rows that clash with registered ones."""
        # One plain read of every registered municipality (a country has some thousands): FerretDB evaluates any
        # filter but `_id` equality by reading the whole collection and compares each document with every value
        # of an `$in` (10,000 x 2,500: 20 s), and this read is the same on every replica of the service.
        found = await self.repo.every_municipality()
        by_id = {d["_id"]: d for d in found}
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
