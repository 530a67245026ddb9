"""The frame every page shares: sign-in required, role checks, navigation by role, static assets."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

from eximee import roles


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(reverse("dashboard:overview"))

    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)
    assert "next=/" in response["Location"]


def test_a_user_without_a_dashboard_role_gets_a_403_page(dashboard_client_for):
    client = dashboard_client_for(roles.SERVICE_WORKER)

    response = client.get(reverse("dashboard:overview"))

    assert response.status_code == 403
    assert b"Not allowed" in response.content
    assert response["Content-Type"].startswith("text/html")


def test_navigation_shows_only_pages_the_roles_allow(dashboard_client_for):
    operator = dashboard_client_for(roles.OPERATOR).get(reverse("dashboard:overview"))
    case_reader = dashboard_client_for(roles.CASE_READER).get(reverse("dashboard:overview"))

    instances = f'href="{reverse("dashboard:instance-list")}"'
    assert instances in operator.content.decode()
    assert instances not in case_reader.content.decode()


def test_pages_load_bootstrap_and_htmx_from_our_own_static_files(dashboard_client_for):
    page = dashboard_client_for(roles.OPERATOR).get(reverse("dashboard:overview")).content.decode()

    for asset in ("vendor/bootstrap/css/bootstrap.min.css", "vendor/bootstrap/js/bootstrap.bundle.min.js",
                  "django_htmx/htmx-2.min.js", "eximee/dashboard.js"):
        assert finders.find(asset), asset
        assert static(asset) in page
    assert "cdn" not in page.lower()


def test_the_bpmn_viewer_is_vendored_from_npm():
    assert finders.find("vendor/bpmn-js/bpmn-navigated-viewer.production.min.js")
    assert finders.find("vendor/bpmn-js/assets/bpmn-js.css")
