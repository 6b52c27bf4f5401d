"""Recognising a district however a partner writes it: name, code or alias, in any case."""

from __future__ import annotations

import re

from data_loaders.values import matching_key

_COUNCIL_SUFFIX = re.compile(r"\s+(borough|district|city|county)?\s*council$")


class DistrictResolver:
    """Maps every spelling configured for a programme's districts to the district's id."""

    def __init__(self, districts: list[tuple[int, str, str, str | None]]) -> None:
        """``districts``: (id, name, code, aliases separated by ';')."""
        self.names = {district_id: name for district_id, name, _code, _aliases in districts}
        self._ids: dict[str, int] = {}
        for district_id, name, code, aliases in districts:
            spellings = [name, code, *(a for a in (aliases or "").split(";") if a.strip())]
            for spelling in spellings:
                self._ids.setdefault(matching_key(spelling), district_id)

    def find(self, raw: str) -> int | None:
        key = matching_key(raw)
        found = self._ids.get(key)
        if found is None:  # "Blaby District Council" for "Blaby"
            found = self._ids.get(_COUNCIL_SUFFIX.sub("", key).strip())
        return found

    def resolve(self, raw: str) -> int:
        found = self.find(raw)
        if found is None:
            known = ", ".join(sorted(self.names.values())) or "none set up yet"
            raise ValueError(f"unknown district; this programme's districts are: {known}")
        return found
