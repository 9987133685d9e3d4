"""Structured fit between a query profile and a candidate: sectors, geography, maturity, partnership.

Why a separate, transparent score: text similarity cannot see that a request seeks a TRL 7 technology
and the offer is at TRL 3, or that the requester only partners within ASEAN; brokers need those checks
spelled out, so every component returns its reason sentence.
"""

from __future__ import annotations

STAGES = ("concept", "research", "prototype", "pilot", "market_ready", "commercialised")

# Which profile kinds complement each other (query kind -> candidate kind).
COMPLEMENT = {
    "technology_request": {"technology_offer"},
    "equipment_request": {"technology_offer", "equipment_offer"},
    "technology_offer": {"technology_request", "equipment_request"},
}

WEIGHTS = {"sector": 0.35, "geography": 0.25, "maturity": 0.25, "partnership": 0.15}


def _as_set(value) -> set[str]:
    if not value:
        return set()
    if isinstance(value, str):
        return {value}
    return {str(v) for v in value}


def _sector_fit(query: dict, cand: dict) -> tuple[float | None, str | None]:
    qs, cs = _as_set(query.get("sectors")), _as_set(cand.get("sectors"))
    if not qs or not cs:
        return None, None
    shared = qs & cs
    if shared:
        return 1.0, f"Same sector ({', '.join(sorted(shared))})."
    # ISIC codes share a division when their first two characters agree (e.g. 2610 and 2620)
    near = {q for q in qs for c in cs if q[:2] == c[:2]}
    if near:
        return 0.6, f"Related sector (ISIC division {', '.join(sorted({n[:2] for n in near}))})."
    return 0.0, "Different sectors."


def _geo_fit(query: dict, cand: dict) -> tuple[float | None, str | None]:
    targets = _as_set(query.get("target_countries"))
    country = cand.get("country")
    cand_targets = _as_set(cand.get("target_countries"))
    q_country = query.get("country")
    if not targets and not cand_targets:
        return None, None
    ok_forward = not targets or (country in targets if country else False)
    ok_back = not cand_targets or (q_country in cand_targets if q_country else False)
    if ok_forward and ok_back:
        where = country or "the candidate's country"
        return 1.0, f"Geography fits: {where} is among the target countries."
    if ok_forward or ok_back:
        return 0.5, "Geography fits only one way (one side does not target the other's country)."
    return 0.0, "Geography does not fit the target countries."


def _stage_index(value) -> int | None:
    if value in STAGES:
        return STAGES.index(value)
    return None


def _maturity_fit(query: dict, cand: dict) -> tuple[float | None, str | None]:
    q_trl, c_trl = query.get("trl"), cand.get("trl")
    if q_trl and c_trl:
        q_trl, c_trl = int(q_trl), int(c_trl)
        offered, sought = (c_trl, q_trl) if query.get("kind", "").endswith("request") else (q_trl, c_trl)
        gap = sought - offered
        if gap <= 0:
            return 1.0, f"Maturity fits: TRL {offered} offered, TRL {sought} sought."
        score = max(0.0, 1.0 - gap / 4.0)
        return score, f"Maturity gap: TRL {offered} offered, TRL {sought} sought."
    qi, ci = _stage_index(query.get("stage")), _stage_index(cand.get("stage"))
    if qi is not None and ci is not None:
        gap = abs(qi - ci)
        score = max(0.0, 1.0 - gap / 3.0)
        return score, f"Stage of development: {cand.get('stage')} vs {query.get('stage')} sought."
    return None, None


def _partnership_fit(query: dict, cand: dict) -> tuple[float | None, str | None]:
    qp, cp = _as_set(query.get("partnership_types")), _as_set(cand.get("partnership_types"))
    if not qp or not cp:
        return None, None
    shared = qp & cp
    if shared:
        return 1.0, f"Partnership types in common: {', '.join(sorted(shared))}."
    return 0.0, "No partnership type in common."


def structured_fit(*, query: dict, candidate: dict) -> tuple[float, list[str]]:
    """Weighted mean of the structured checks that both profiles give data for, in [0, 1].

    Missing data is neutral (0.5 overall when nothing is comparable) rather than a penalty, because many
    profiles leave optional fields empty and must not sink below ones that filled them badly.
    """
    total, weight_sum, reasons = 0.0, 0.0, []
    for name, check in (("sector", _sector_fit), ("geography", _geo_fit), ("maturity", _maturity_fit),
                        ("partnership", _partnership_fit)):
        score, reason = check(query, candidate)
        if score is None:
            continue
        total += WEIGHTS[name] * score
        weight_sum += WEIGHTS[name]
        reasons.append(reason)
    kinds = COMPLEMENT.get(query.get("kind") or "", set())
    if kinds and candidate.get("kind") and candidate["kind"] not in kinds:
        reasons.append(f"Profile kind {candidate['kind']} does not complement {query['kind']}.")
        return 0.0, reasons
    if weight_sum == 0:
        return 0.5, reasons
    return total / weight_sum, reasons
