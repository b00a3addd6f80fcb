"""Shared test helpers: fakes, golden files, offline terraform. Test modules import these, never each other."""
