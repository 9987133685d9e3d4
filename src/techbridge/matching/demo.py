"""Demo: build the matching index once, after every other app loaded its profiles (with a progress bar)."""

from __future__ import annotations

import sys

from techbridge.core.jobs import cli_progress
from techbridge.matching.services.index import rebuild


def load(*, stdout) -> None:
    result = rebuild(progress=cli_progress(description="matching index", stream=sys.stderr))
    mode = "semantic + lexical" if result["semantic"] else f"lexical only ({result['reason']})"
    stdout.write(f"  matching: {result['profiles']} profiles indexed, {result['embedded']} embedded; {mode}")
