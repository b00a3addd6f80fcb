"""The embedded local AWS (moto server) and its shims."""
