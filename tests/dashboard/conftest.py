"""Fixtures of the dashboard tests: browser-like clients signed in with domain roles."""

import pytest
from django.test import Client

from .factories import deploy_loan_review


@pytest.fixture
def dashboard_client_for(make_user):
    """dashboard_client_for("operator") -> a django test Client with a session of a user holding
    those roles (login itself is tested with the real OpenID provider in the browser tests)."""

    def make(*roles, username=None):
        user = make_user(username or "-".join(roles) or "no-roles", *roles)
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def loan_review(db):
    deploy_loan_review()


def htmx_get(client, url, target="results", **params):
    """A GET as htmx sends it when it swaps the element with id `target`."""
    return client.get(url, params, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=target)
