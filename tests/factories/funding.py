"""factory_boy factories of the funding app (re-exported by tests.factories)."""
