"""Use cases: the municipalities taking part."""

from veche_shared.contracts.catalog import Municipality
from veche_shared.contracts.submissions import RegisterMunicipality, UpdateMunicipality
from veche_submissions.core import Core


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
