import uuid

from cases.models import EventRoute
from eximee import timeline


def test_the_history_shows_every_step_in_order_with_who_did_it(loan_case, api_client_for):
    writer = api_client_for("case-writer", "case-reader", username="tomasz")
    instance = uuid.uuid4()
    # Other apps write the same timeline (engine, tasks, documents); here two stand in for them.
    timeline.record("process.started", "Process loan-approval started", business_key="LN-2026-000123",
                    process_instance_id=instance, actor="anna")
    writer.put(f"/v1/cases/{loan_case.id}/status", {"status": "in-review"}, format="json")
    EventRoute.objects.create(name="r", event_type="scoring.rejected", action=EventRoute.SET_CASE_STATUS,
                              case_status="rejected")
    api_client_for("event-publisher", username="scoring").post(
        "/v1/events", {"eventType": "scoring.rejected", "source": "scoring", "eventId": "1",
                       "occurredAt": "2026-11-27T18:00:00Z", "correlation": {"caseNumber": "LN-2026-000123"}},
        format="json")
    timeline.record("task.created", "Task for another case", business_key="LN-OTHER", actor="engine")

    history = writer.get(f"/v1/cases/{loan_case.id}/history").json()
    steps = [(entry["kind"], entry["actor"]) for entry in history["results"]]
    assert steps == [("case.created", "anna"), ("process.started", "anna"), ("case.status-changed", "tomasz"),
                     ("event.received", "scoring"), ("case.status-changed", "scoring")]
    assert history["results"][1]["processInstanceId"] == str(instance)
    times = [entry["occurredAt"] for entry in history["results"]]
    assert times == sorted(times)


def test_the_history_is_paginated(loan_case, api_client_for):
    for number in range(5):
        timeline.record("variable.updated", f"x={number}", business_key="LN-2026-000123")
    reader = api_client_for("case-reader")
    page = reader.get(f"/v1/cases/{loan_case.id}/history", {"pageSize": 4, "page": 2}).json()
    assert page["count"] == 6
    assert [entry["summary"] for entry in page["results"]] == ["x=3", "x=4"]
