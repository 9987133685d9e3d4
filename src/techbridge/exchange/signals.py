"""Signals other apps listen to (the matching index, alerts) without the exchange app knowing them."""

from django.dispatch import Signal

#: Sent after commit when a profile's content or status changed; kwargs: profile_id, status.
profile_changed = Signal()

#: Sent after commit when many profiles were published at once (bulk import); kwargs: profile_ids.
profiles_bulk_changed = Signal()
