"""The secrets tests give the engine and the bot process: fixed, and never a deployment's."""

from __future__ import annotations

# The engine's button signing and pseudonyms in in-process tests (the ``codec`` fixture).
TEST_SECRET = b"test-secret-not-for-production"
# JEUGDSTEM_SECRET of the bot process in the end-to-end tests.
E2E_SECRET = "e2e-secret"
