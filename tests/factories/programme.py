"""factory_boy factories of the programme app (re-exported by tests.factories)."""
