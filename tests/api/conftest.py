"""Fixtures for the integration API: tokens and a client that sends them."""

from __future__ import annotations

import pytest

from lms.integration import tokens as api_tokens


class Api:
    """The test client with `Authorization: Bearer <secret>` on every request."""

    def __init__(self, client, secret: str):
        self.client, self.secret = client, secret

    def _headers(self, kw):
        return {"Authorization": f"Bearer {self.secret}", **kw.pop("headers", {})}

    def get(self, path, **kw):
        return self.client.get(path, headers=self._headers(kw), **kw)

    def post(self, path, **kw):
        return self.client.post(path, headers=self._headers(kw), **kw)

    def patch(self, path, **kw):
        return self.client.patch(path, headers=self._headers(kw), **kw)


@pytest.fixture()
def admin(make):
    return make.user(roles={"admin"})


@pytest.fixture()
def make_token(admin):
    def _make(*scopes: str, name: str = "HR sync"):
        return api_tokens.create_token(name, set(scopes or ("read", "write")), admin)

    return _make


@pytest.fixture()
def api(client, make_token) -> Api:
    """A client holding a read+write token."""
    _token, secret = make_token("read", "write")
    return Api(client, secret)
