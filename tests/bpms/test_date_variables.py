"""Typed Date variables keep their type: in the stored variable, the API, history, JUEL comparisons
(operators and java.util.Date's before/after), due dates and variable filters. Dates are shown in
UTC in Camunda's REST format."""

import pytest

from bpms.models import ProcessVariable

from .engine_support import complete, deploy, instance, start

pytestmark = pytest.mark.django_db

DEADLINE = {"type": "Date", "value": "2026-11-27T18:42:42.657+0100"}


@pytest.fixture
def client(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager", "operator")
    deploy(client, "dates.bpmn")
    return client


def test_a_date_variable_round_trips_as_a_date_and_compares_as_one(client):
    started = start(client, "date-variables", {"deadline": DEADLINE,
                                                "filedAt": {"type": "Date", "value": "2026-11-27T17:00:00Z"}})
    variables = instance(client, started["id"])["processVariables"]
    assert variables["deadline"] == {"type": "Date", "value": "2026-11-27T17:42:42.657+0000"}
    assert variables["filedAt"] == {"type": "Date", "value": "2026-11-27T17:00:00.000+0000"}
    assert ProcessVariable.objects.get(process_instance_id=started["id"], name="deadline").type == "Date"

    [task] = started["openTasks"]
    assert task["taskDefinitionKey"] == "assess"
    assert task["due"].startswith("2026-11-27T17:42:42.657")

    # a Date given at completion compares with the stored one (${decidedAt le deadline})
    assert complete(client, task["id"], {"decidedAt": {"type": "Date", "value": "2026-11-27T18:42:42.657+01:00"}}
                    ).status_code == 200
    assert instance(client, started["id"])["activeActivityIds"] == ["pay"]

    history = client.get("/v1/history/variables", {"processInstanceId": started["id"], "variableName": "decidedAt"})
    [created] = history.json()["results"]
    assert (created["type"], created["newValue"]) == ("Date", "2026-11-27T17:42:42.657+0000")


def test_a_late_filing_takes_the_default_flow_and_dates_change_with_their_type_kept(client):
    started = start(client, "date-variables", {"deadline": DEADLINE,
                                                "filedAt": {"type": "Date", "value": "2026-11-28"}})
    assert instance(client, started["id"])["activeActivityIds"] == ["rejectLate"]
    url = f"/v1/process-instances/{started['id']}/variables"
    response = client.put(f"{url}/deadline", {"type": "Date", "value": "2026-12-31T12:00:00+0000"}, format="json")
    assert response.status_code == 200
    assert response.json()["deadline"] == {"type": "Date", "value": "2026-12-31T12:00:00.000+0000"}
    changes = client.get("/v1/history/variables", {"processInstanceId": started["id"], "variableName": "deadline"})
    assert [(c["change"], c["type"], c["oldValue"], c["newValue"]) for c in changes.json()["results"]] == [
        ("created", "Date", None, "2026-11-27T17:42:42.657+0000"),
        ("updated", "Date", "2026-11-27T17:42:42.657+0000", "2026-12-31T12:00:00.000+0000")]

    # stored in UTC with a fixed width, so range filters on dates compare in time order
    later = client.get("/v1/process-instances", {"variables": "deadline_gt_2026-12-01T00:00:00.000+0000"})
    assert [i["id"] for i in later.json()["results"]] == [started["id"]]
    earlier = client.get("/v1/process-instances", {"variables": "deadline_lt_2026-12-01T00:00:00.000+0000"})
    assert earlier.json()["results"] == []


def test_dates_an_operation_leaves_alone_stay_dates_with_no_change_recorded(client):
    """The engine's stored state keeps a Date a date: a later operation finds it unchanged."""
    started = start(client, "date-variables", {"deadline": DEADLINE,
                                                "filedAt": {"type": "Date", "value": "2026-11-28"}})
    response = client.put(f"/v1/process-instances/{started['id']}/variables/note", {"type": "String", "value": "x"},
                          format="json")
    assert response.status_code == 200
    assert response.json()["filedAt"] == {"type": "Date", "value": "2026-11-28T00:00:00.000+0000"}
    assert response.json()["deadline"] == {"type": "Date", "value": "2026-11-27T17:42:42.657+0000"}
    changes = client.get("/v1/history/variables", {"processInstanceId": started["id"]}).json()["results"]
    assert sorted((c["name"], c["change"]) for c in changes) == [
        ("deadline", "created"), ("filedAt", "created"), ("note", "created")]


def test_a_value_that_is_no_date_is_refused_with_its_path(client):
    response = client.post("/v1/process-instances", {"processDefinitionKey": "date-variables", "processVariables": {
        "deadline": {"type": "Date", "value": "27.11.2026"}}}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"pointer": "/processVariables/deadline/value",
                                          "detail": "must be an ISO 8601 date or date-time"}]


@pytest.mark.parametrize("text, expected", [
    ("${early < late && late > early && early le early && late ne early}", True),
    ("${early == sameInstant}", True),
    ("${early.before(late) && late.after(early) && !early.after(late)}", True),
    ("${early.compareTo(late)}", -1),
    ("${late.compareTo(early)}", 1),
    ("${early.compareTo(sameInstant)}", 0),
    ("${early.getTime()}", 1795801362657),
])
def test_juel_on_dates(text, expected):
    from bpms.engine import juel
    from bpms.services.variables import parse_date
    variables = {"early": parse_date("2026-11-27T18:42:42.657+0100"), "late": parse_date("2026-11-28"),
                 "sameInstant": parse_date("2026-11-27T17:42:42.657Z")}
    assert juel.evaluate(text, juel.Context(variables)) == expected
