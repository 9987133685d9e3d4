"""Filters of the activity list, calendar, exports and API: year, type, area, host country, role, text."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

from techbridge.programme.models import ActivityType, CentreRole, ProgrammeArea

ONLINE = "online"


@dataclass
class ActivityFilters:
    year: int | None = None
    type: str = ""
    area: str = ""
    country: str = ""  # ISO alpha-2, or "online"
    role: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params) -> ActivityFilters:
        """Read filters from GET parameters, silently dropping values that are not valid codes."""
        year_text = str(params.get("year") or "")
        year = int(year_text) if year_text.isdigit() and 1970 <= int(year_text) <= 2100 else None
        country = str(params.get("country") or "").strip()
        if country != ONLINE:
            country = country.upper() if len(country) == 2 and country.isalpha() else ""
        return cls(
            year=year,
            type=_code(params.get("type"), ActivityType.values),
            area=_code(params.get("area"), ProgrammeArea.values),
            country=country,
            role=_code(params.get("role"), CentreRole.values),
            q=str(params.get("q") or "").strip()[:100],
        )

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.year:
            queryset = queryset.filter(start_date__year=self.year)
        if self.type:
            queryset = queryset.filter(type=self.type)
        if self.area:
            queryset = queryset.filter(programme_area=self.area)
        if self.country == ONLINE:
            queryset = queryset.filter(online=True)
        elif self.country:
            queryset = queryset.filter(country_id=self.country)
        if self.role:
            queryset = queryset.filter(centre_role=self.role)
        if self.q:
            queryset = queryset.filter(Q(title__icontains=self.q) | Q(code__icontains=self.q)
                                       | Q(city__icontains=self.q))
        return queryset

    def querystring(self, **overrides) -> str:
        """The filters as a query string (for export links and calendar navigation)."""
        values = {"year": self.year or "", "type": self.type, "area": self.area, "country": self.country,
                  "role": self.role, "q": self.q}
        values.update(overrides)
        return urlencode({key: value for key, value in values.items() if value not in ("", None)})


def _code(value, allowed) -> str:
    text = str(value or "").strip()
    return text if text in allowed else ""
