"""The embedded local AWS: a moto server on 127.0.0.1, its launcher and the shims the provider needs."""
