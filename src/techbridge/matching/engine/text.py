"""Text normalisation shared by the lexical index, the encoder and the explanations.

Profiles arrive as plain dicts whose ``description`` may carry HTML from the rich-text editor; every
consumer must see the same clean text, otherwise the lexical terms shown in an explanation would not be
the terms that were scored.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

TEXT_FIELDS = ("title", "summary", "description", "advantages", "technical_spec", "keywords")

_TAG_RE = re.compile(r"<[^>]+>")
_WS_RE = re.compile(r"\s+")
_TOKEN_RE = re.compile(r"\b\w\w+\b")

# A compact English stop list (function words only). Domain boiler-plate ("phase", "proposal") was tried as
# stop words and measured to hurt on the benchmark, so it is not removed.
_STOP_TEXT = """
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours ourselves out over own same she should so
some such than that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your
yours yourself yourselves may might must shall within without via per upon among across along etc
use used using well new one two three include includes including based provide provides
"""
STOPWORDS = frozenset(_STOP_TEXT.split())


def strip_html(*, text: str) -> str:
    """Remove tags and entities so HTML descriptions score like plain text and never leak markup."""
    if not text:
        return ""
    text = _TAG_RE.sub(" ", text)
    text = html.unescape(text)
    return _WS_RE.sub(" ", text).strip()


def field_text(*, fields: dict, name: str) -> str:
    """Return one profile field as clean text; list-valued keywords are joined so they stay searchable."""
    value = fields.get(name) or ""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    return strip_html(text=str(value))


def profile_text(*, fields: dict) -> str:
    """Join the descriptive fields in reading order; the encoder sees title and summary first because the
    first window of a long profile is the one a 256-token model reads best."""
    parts = [field_text(fields=fields, name=name) for name in TEXT_FIELDS]
    parts = [p for p in parts if p]
    return ". ".join(parts)


def _stem(word: str) -> str:
    """A light suffix stripper (S-stemmer plus common derivational endings).

    Why not Porter: a lighter stemmer keeps stems readable in explanations ("sensor", "detect") while
    still conflating the plural/verb forms that matter for recall.
    """
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ational", "ization", "ations", "ation", "ments", "ment", "ings", "ing", "edly", "ed",
                   "ers", "er", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


_STEM_CACHE: dict[str, str] = {}


def stem(*, word: str) -> str:
    """Memoised stemmer: corpora repeat a small vocabulary millions of times."""
    hit = _STEM_CACHE.get(word)
    if hit is None:
        hit = _stem(word)
        if len(_STEM_CACHE) < 500_000:
            _STEM_CACHE[word] = hit
    return hit


def words(*, text: str) -> list[str]:
    """Lower-cased word tokens without stop words (unstemmed, for display)."""
    return [w for w in _TOKEN_RE.findall(text.lower()) if w not in STOPWORDS]


def analyse(*, text: str, bigrams: bool = False, stemming: bool = True) -> list[str]:
    """Tokens as the lexical index sees them: stemmed unigrams, optionally plus adjacent-pair bigrams
    (``a_b``) which reward phrase matches such as "fuel cell" over the two words scattered."""
    stems = [stem(word=w) for w in words(text=text)] if stemming else words(text=text)
    if bigrams and len(stems) > 1:
        stems = stems + [f"{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)]
    return stems


def surface_forms(*, text: str) -> dict[str, str]:
    """Map each stem to the first surface word it came from, so explanations can print real words."""
    forms: dict[str, str] = {}
    for w in words(text=text):
        forms.setdefault(stem(word=w), w)
    return forms


def unique(*, items: Iterable[str]) -> list[str]:
    """Order-preserving de-duplication."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
