import pytest

from cases.models import Case, DomainEvent, EventRoute
from eximee.models import TimelineEvent
from tests.concurrency import at_once


@pytest.fixture
def publisher(api_client_for):
    return api_client_for("event-publisher", username="scoring-system")


@pytest.fixture
def decision_route(db):
    return EventRoute.objects.create(name="scoring-started", event_type="scoring.started",
                                     action=EventRoute.SET_CASE_STATUS, case_status="in-review")


def event(event_id="ev-1", event_type="scoring.started", **fields):
    return {"eventType": event_type, "source": "scoring", "eventId": event_id,
            "occurredAt": "2026-11-27T18:00:00+00:00", "correlation": {"caseNumber": "LN-2026-000123"},
            "payload": {"score": 712}, **fields}


def test_a_routed_event_sets_the_case_status_and_says_so(loan_case, decision_route, publisher):
    response = publisher.post("/v1/events", event(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["outcome"] == "routed"
    assert body["triggered"] == [{"route": "scoring-started", "action": "set-case-status",
                                  "caseNumber": "LN-2026-000123", "status": "in-review", "caseVersion": 2}]
    assert Case.objects.get(pk=loan_case.pk).status == "in-review"
    change = loan_case.status_changes.get(to_status="in-review")
    assert (change.actor, change.reason) == ("scoring-system", "scoring.started from scoring")


def test_status_and_reason_may_come_from_the_payload(loan_case, publisher):
    EventRoute.objects.create(name="decision", event_type="decision.made", action=EventRoute.SET_CASE_STATUS)
    body = publisher.post("/v1/events", event(event_type="decision.made",
                                              payload={"status": "withdrawn", "reason": "client cancelled"}),
                          format="json").json()
    assert body["outcome"] == "routed"
    case = Case.objects.get(pk=loan_case.pk)
    assert (case.status, case.status_reason) == ("withdrawn", "client cancelled")


def test_a_repeat_returns_the_first_outcome_without_a_second_effect(loan_case, decision_route, publisher):
    first = publisher.post("/v1/events", event(), format="json")
    decision_route.case_status = "withdrawn"  # a second effect would now be visible
    decision_route.save()
    repeat = publisher.post("/v1/events", event(payload={"other": True}), format="json")
    assert repeat.status_code == 200
    assert repeat["Idempotent-Replayed"] == "true"
    assert repeat.json() == first.json()
    assert DomainEvent.objects.count() == 1
    assert Case.objects.get(pk=loan_case.pk).version == 2


def test_the_same_event_id_from_another_source_is_another_event(loan_case, publisher, db):
    publisher.post("/v1/events", event(), format="json")
    assert publisher.post("/v1/events", event(source="crm"), format="json").status_code == 201


def test_an_event_without_a_route_is_stored_as_unrouted(loan_case, publisher):
    body = publisher.post("/v1/events", event(event_type="unknown.thing"), format="json").json()
    assert (body["outcome"], body["triggered"]) == ("unrouted", [])
    assert DomainEvent.objects.get(pk=body["id"]).outcome == "unrouted"


def test_a_refused_action_is_reported_and_rolled_back_alone(loan_case, publisher):
    EventRoute.objects.create(name="a-approve", event_type="decision.made", action=EventRoute.SET_CASE_STATUS,
                              case_status="approved", order=1)
    EventRoute.objects.create(name="b-withdraw", event_type="decision.made", action=EventRoute.SET_CASE_STATUS,
                              case_status="withdrawn", order=2)
    body = publisher.post("/v1/events", event(event_type="decision.made"), format="json").json()
    assert body["outcome"] == "failed"
    refused, done = body["triggered"]
    assert (refused["route"], refused["error"]["status"]) == ("a-approve", 409)
    assert (done["route"], done["status"]) == ("b-withdraw", "withdrawn")
    assert Case.objects.get(pk=loan_case.pk).status == "withdrawn"


def test_disabled_routes_do_not_run(loan_case, decision_route, publisher):
    decision_route.enabled = False
    decision_route.save()
    assert publisher.post("/v1/events", event(), format="json").json()["outcome"] == "unrouted"


def test_events_go_to_the_case_history(loan_case, decision_route, publisher):
    publisher.post("/v1/events", event(), format="json")
    kinds = list(TimelineEvent.objects.filter(business_key="LN-2026-000123").values_list("kind", flat=True))
    assert kinds == ["case.created", "event.received", "case.status-changed"]
    received = TimelineEvent.objects.get(kind="event.received")
    assert (received.actor, received.data["outcome"]) == ("scoring-system", "routed")


def test_bad_events_are_400_and_not_stored(publisher, db):
    bad = [event(eventId=""), {**event(), "occurredAt": "yesterday"}, event(payload=[1]),
           event(correlation={"caseNumber": "A", "businessKey": "B"}), event(correlation={"keys": "x"})]
    for body in bad:
        assert publisher.post("/v1/events", body, format="json").status_code == 400, body
    assert not DomainEvent.objects.exists()


def test_events_are_read_and_filtered(loan_case, decision_route, publisher, api_client_for):
    routed = publisher.post("/v1/events", event(), format="json").json()
    publisher.post("/v1/events", event(eventId="ev-2", event_type="other", correlation={}), format="json")
    reader = api_client_for("auditor")
    assert reader.get(f"/v1/events/{routed['id']}").json() == routed
    assert reader.get("/v1/events").json()["count"] == 2
    for query, expected in [({"type": "other"}, ["ev-2"]), ({"outcome": "routed"}, ["ev-1"]),
                            ({"caseNumber": "LN-2026-000123"}, ["ev-1"]), ({"source": "nobody"}, [])]:
        assert [e["eventId"] for e in reader.get("/v1/events", query).json()["results"]] == expected, query
    assert reader.get("/v1/events", {"outcome": "nonsense"}).status_code == 400


def test_roles(publisher, api_client_for, db):
    assert api_client_for("case-reader").post("/v1/events", event(), format="json").status_code == 403
    assert publisher.get("/v1/events").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_have_one_effect(loan_type, api_client_for):
    from cases.services.cases import create_case

    create_case(case_number="LN-2026-000123", case_type="loan-application")
    EventRoute.objects.create(name="r", event_type="scoring.started", action=EventRoute.SET_CASE_STATUS,
                              case_status="in-review")
    client = api_client_for("event-publisher")

    def send():
        return client.post("/v1/events", event(), format="json").status_code

    statuses = at_once(send, send, send)
    assert sorted(statuses) == [200, 200, 201]
    assert DomainEvent.objects.count() == 1
    assert Case.objects.get(case_number="LN-2026-000123").version == 2
