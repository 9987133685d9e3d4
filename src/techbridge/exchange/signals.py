"""Signals other apps listen to (the matching index, alerts) without the exchange app knowing them."""

from django.dispatch import Signal

#: Sent after commit when a profile's content or status changed; kwargs: profile_id, status.
profile_changed = Signal()
