"""Helpers of the matching tests: publishing through the exchange's services, as users do."""

from __future__ import annotations

from techbridge.core.permissions import actor_for
from techbridge.exchange import services


def publish(*, owner, organisation, staff, kind: str = "offer", **values):
    """Create, submit and validate (= publish) a profile through the services, so signals fire."""
    values.setdefault("summary", values.get("title", "A profile"))
    profile = services.create_profile(actor=actor_for(owner), kind=kind, organisation_id=organisation.pk,
                                      values=values)
    services.submit_profile(actor=actor_for(owner), profile=profile)
    return services.validate_profile(actor=actor_for(staff), profile=profile)
