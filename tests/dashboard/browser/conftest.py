"""Browser tests: real headless Chromium (Debian's, driven by Playwright's sync API) against the
Django live server on a fixed port, signing in through the real OpenID provider of the tests."""

import os
from pathlib import Path

import pytest
from pytest_django.live_server_helper import LiveServer

from tests.oidc_fixtures import *  # noqa: F401,F403  (oidc_provider, oidc_settings)

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one
# unless told that this test process knows what it does.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The dashboard client's registered redirect URI (tests/oidc/provider.js) is on this port.
LIVE_SERVER_ADDRESS = "127.0.0.1:8765"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "dashboard"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's Chromium: Playwright must not look for (or download) a browser of its own."""
    return {"executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def dashboard_server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        server = LiveServer(LIVE_SERVER_ADDRESS)
    yield server
    server.stop()


@pytest.fixture
def dashboard_url(dashboard_server, transactional_db, oidc_settings, settings):
    # The live server serves static files from the finders, under their own (unhashed) names.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    return dashboard_server.url


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take


def sign_in(page, base_url, login):
    """Through the dashboard's login page and the provider's own login and consent pages."""
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="Sign in with your organisation").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    consent = page.locator("button[type=submit]", has_text="Continue")
    if consent.count():
        consent.click()
    page.wait_for_url(f"{base_url}/**")
