"""Fixtures of the API tests."""

from __future__ import annotations

import pytest

from tests.api.api_helpers import ApiClient


@pytest.fixture
def as_user(client, token, users):
    """Return an API client acting with the token of ``users[role]``."""

    def make(role: str) -> ApiClient:
        return ApiClient(client, token(users[role]))

    return make
