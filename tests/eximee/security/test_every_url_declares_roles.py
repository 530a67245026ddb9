"""No API endpoint without a declared permission, and docs/security.md lists each one with the
roles it really declares (regenerate the table with `python manage.py security_matrix`)."""

from pathlib import Path

from django.core.management import call_command

from eximee.endpoints import api_endpoints, matrix_markdown, parse_matrix

DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"


def test_every_api_endpoint_declares_its_roles():
    undeclared = [f"{e.method} {e.route} ({e.view})" for e in api_endpoints() if e.roles is None]
    assert not undeclared, "API views without required_roles (denied to everyone):\n" + "\n".join(undeclared)


def test_the_walk_finds_viewset_actions_and_plain_views():
    found = {(e.method, e.route) for e in api_endpoints()}
    assert ("GET", "/v1/audit-entries") in found and ("GET", "/v1/audit-entries/<pk>") in found
    assert ("GET", "/v1/schema/") in found


def test_an_undeclared_view_is_reported():
    undeclared = [e for e in api_endpoints("tests.eximee.urls") if e.roles is None]
    assert [e.route for e in undeclared] == ["/v1/undeclared"]


def test_docs_matrix_matches_the_declared_roles():
    documented = parse_matrix(DOC.read_text())
    actual = parse_matrix(matrix_markdown())
    missing = sorted(set(actual) - set(documented))
    stale = sorted(set(documented) - set(actual))
    wrong = sorted(key for key in set(actual) & set(documented) if actual[key] != documented[key])
    assert not (missing or stale or wrong), (
        f"docs/security.md is out of date (run `python manage.py security_matrix`): "
        f"missing {missing}, no longer exist {stale}, roles differ {wrong}")


def test_management_command_prints_the_table(capsys):
    call_command("security_matrix")
    assert parse_matrix(capsys.readouterr().out) == parse_matrix(matrix_markdown())
