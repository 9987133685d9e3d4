"""factory_boy factories of the matching app (re-exported by tests.factories)."""
