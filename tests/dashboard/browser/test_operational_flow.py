"""The operational day in a real browser: a worker finds a task through a filter, claims it, sees
the engine's validation error next to the field, completes it; a worker delegates a task and gets
it back resolved; an operator sees the next task highlighted on the instance's diagram, retries
an incident and sees it go, and follows a case's history. Screenshots of each main page go to test-artifacts/dashboard/."""

import re

import pytest
from playwright.sync_api import expect

from bpms.models import UserTask
from bpms.services import tasks

from ..factories import deploy_loan_review, make_incident, make_loan_case, start_loan_review
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loan_day(dashboard_url):
    deploy_loan_review()
    make_loan_case("LN-2", business_data={"applicant": {"name": "Jan Kowalski"}, "amount": 25000})
    start_loan_review("LN-1")
    flagged = start_loan_review("LN-2")
    broken = start_loan_review("LN-3")
    return {"instance": flagged, "incident": make_incident(broken, activity_id="check", message="Scoring timed out")}


def test_a_worker_finds_claims_and_completes_a_task(loan_day, dashboard_url, browser, screenshot):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, dashboard_url, "tom.worker")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    screenshot(page, "overview")

    page.get_by_role("link", name="Tasks").first.click()
    page.get_by_role("link", name="My groups' tasks").click()
    expect(page.get_by_test_id("result-count")).to_have_text("3")
    page.get_by_label("Business key").fill("LN-2")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1")
    screenshot(page, "tasks")

    page.get_by_role("link", name="Check application").click()
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_role("status").filter(has_text="You claimed the task")).to_be_visible()
    expect(page.get_by_test_id("assignee")).to_have_text("tom.worker")

    page.get_by_label("Decision").select_option("approve")
    page.get_by_label("Approved amount").fill("90000")
    page.get_by_role("button", name="Complete").click()
    expect(page.locator("#id_approvedAmount_error")).to_have_text("must be at most 50000")
    expect(page.get_by_label("Approved amount")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "task-detail-invalid")

    page.get_by_label("Approved amount").fill("20000")
    page.get_by_role("button", name="Complete").click()
    expect(page.get_by_role("status").filter(has_text="completed")).to_be_visible()
    assert UserTask.objects.get(business_key="LN-2", task_definition_key="check").state == UserTask.COMPLETED

    phone = browser.new_context(viewport={"width": 390, "height": 844}, storage_state=page.context.storage_state())
    small = phone.new_page()
    small.goto(f"{dashboard_url}/tasks/?view=groups")
    expect(small.get_by_role("button", name="Toggle navigation")).to_be_visible()
    screenshot(small, "tasks-phone")


def test_a_worker_delegates_a_task_and_gets_it_back_resolved(loan_day, dashboard_url, browser, screenshot):
    task = UserTask.objects.get(business_key="LN-1", task_definition_key="check")
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, dashboard_url, "tom.worker")
    page.goto(f"{dashboard_url}/tasks/{task.pk}/")
    page.get_by_role("button", name="Claim").click()
    page.get_by_label("Delegate to (user name)").fill("adam.admin")
    page.get_by_role("button", name="Delegate").click()
    expect(page.get_by_role("status").filter(has_text="delegated to adam.admin")).to_be_visible()

    delegate = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(delegate, dashboard_url, "adam.admin")
    delegate.goto(f"{dashboard_url}/tasks/{task.pk}/")
    expect(delegate.get_by_test_id("owner")).to_contain_text("tom.worker")
    expect(delegate.get_by_role("button", name="Complete")).to_have_count(0)
    delegate.get_by_label("Decision").select_option("approve")
    delegate.get_by_label("Comment").fill("checked the payslips")
    screenshot(delegate, "task-delegated")
    delegate.get_by_role("button", name="Resolve").click()
    expect(delegate.get_by_role("status").filter(has_text="resolved and returned to tom.worker")).to_be_visible()

    page.goto(f"{dashboard_url}/tasks/{task.pk}/")
    expect(page.get_by_test_id("assignee")).to_have_text("tom.worker")
    expect(page.get_by_label("Comment")).to_have_value("checked the payslips")
    page.get_by_role("button", name="Complete").click()
    expect(page.get_by_role("status").filter(has_text="completed")).to_be_visible()


def test_an_operator_sees_the_next_task_retries_an_incident_and_follows_the_case(loan_day, dashboard_url,
                                                                                 browser, screenshot, make_user):
    instance = loan_day["instance"]
    check = UserTask.objects.get(business_key="LN-2", task_definition_key="check")
    tasks.complete(make_user("anna", "task-worker"), check.pk, variables={"decision": "approve"})

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, dashboard_url, "olga.operator")

    page.goto(f"{dashboard_url}/instances/?business_key=LN-2")
    screenshot(page, "instances")
    page.get_by_role("link", name=str(instance.pk)[:8]).click()
    diagram = page.get_by_test_id("diagram")
    expect(diagram).to_have_attribute("data-ready", "true")
    expect(page.locator('[data-element-id="signOff"]').first).to_have_class(
        re.compile(r"\bhighlight-active\b"))
    expect(page.locator('[data-element-id="check"]').first).to_have_class(
        re.compile(r"\bhighlight-completed\b"))
    expect(page.locator(".bjs-powered-by")).to_be_visible()  # the bpmn.io watermark stays
    screenshot(page, "instance-detail")

    page.goto(f"{dashboard_url}/incidents/?open=true")
    expect(page.get_by_test_id("result-count")).to_have_text("1")
    screenshot(page, "incidents")
    page.get_by_role("link", name="Scoring timed out").click()
    page.get_by_role("button", name="Retry").click()
    expect(page.get_by_role("status").filter(has_text="The incident was retried")).to_be_visible()
    page.goto(f"{dashboard_url}/incidents/?open=true")
    expect(page.get_by_test_id("empty-state")).to_be_visible()

    page.get_by_role("link", name="Cases").first.click()
    page.get_by_role("link", name="LN-2").click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("case.created")
    expect(timeline).to_contain_text("task.completed")
    screenshot(page, "case-detail")
    timeline.get_by_role("link").first.click()
    expect(page.get_by_test_id("diagram")).to_have_attribute("data-ready", "true")


def test_every_main_page_renders_for_an_administrator(loan_day, dashboard_url, browser, screenshot):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, dashboard_url, "adam.admin")

    for label, heading, name in (("Processes", "Processes", "processes"), ("Documents", "Documents", "documents"),
                                 ("Events", "Events", "events"), ("Data models", "Data models", "data-models"),
                                 ("Configuration", "Configuration", "configuration"), ("Cases", "Cases", "cases")):
        page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        screenshot(page, name)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Processes", exact=True).click()
    page.get_by_role("link", name="Loan review").click()
    expect(page.get_by_test_id("diagram")).to_have_attribute("data-ready", "true")
    screenshot(page, "process-start")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, storage_state=page.context.storage_state())
    small = phone.new_page()
    for path, name in (("/", "overview"), ("/processes/", "processes"), ("/instances/", "instances"),
                       ("/incidents/", "incidents"), ("/cases/", "cases"), ("/documents/", "documents")):
        small.goto(f"{dashboard_url}{path}")
        expect(small.get_by_role("button", name="Toggle navigation")).to_be_visible()
        assert small.evaluate("document.documentElement.scrollWidth") <= 390, f"{path} scrolls sideways on a phone"
        screenshot(small, f"{name}-phone")
