"""factory_boy factories of the reports app (re-exported by tests.factories)."""
