"""factory_boy factories of the events app (re-exported by tests.factories)."""
