"""factory_boy factories of the periodical app (re-exported by tests.factories)."""
