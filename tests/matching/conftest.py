"""Fixtures of the matching tests: a fresh in-memory index per test and a small realistic corpus."""

from __future__ import annotations

import pytest

from techbridge.matching.services.index import PROCESS_INDEX


@pytest.fixture(autouse=True)
def _fresh_index():
    PROCESS_INDEX.reset()
    yield
    PROCESS_INDEX.reset()
