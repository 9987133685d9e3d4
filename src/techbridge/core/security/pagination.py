"""Bounded page-number pagination for the API.

django-ninja's own `PageNumberPagination` accepts any page number; a page of 10^20 overflows the database's
OFFSET (a 500 on SQLite and PostgreSQL alike), which the API fuzzer found on every list. This subclass keeps
the same JSON shape and bounds both inputs, so such requests get a 422 instead.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as _NinjaPageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100


class PageNumberPagination(_NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
