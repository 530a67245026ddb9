"""Multi-instance collections as Camunda 7 takes them: camunda:collection as any expression (a
property path, execution.getVariable(...), a method's result), the standard loopDataInputRef with
an inputDataItem, and completion conditions over the nrOf* built-ins. The element variable is local
to each instance."""

import pytest

from bpms.models import UserTask

from .engine_support import complete, complete_in_turn, deploy, instance, start

pytestmark = pytest.mark.django_db

ORDER = {"region": "north", "items": [{"sku": "A", "owner": "ann"}, {"sku": "B", "owner": "bob"},
                                      {"sku": "C", "owner": "cid"}, {"sku": "D", "owner": "dan"}]}
ROUTING = {"north": ["oslo", "bergen", "tromso"], "south": ["rome"]}


def _variables(client, instance_id):
    return {name: v["value"] for name, v in instance(client, instance_id)["processVariables"].items()}


def test_collections_given_as_expressions_and_as_loop_data_input(api_client_for):
    client = api_client_for("process-starter", "deployer", "task-manager")
    deploy(client, "multi_instance_collections.bpmn")
    started = start(client, "mi-collections", {"order": ORDER, "signers": ["sue", "sam"], "routing": ROUTING,
                                               "notified": ""})
    # ${order.items}: one review per item, each assigned by its own element variable
    assert sorted(t["assignee"] for t in started["openTasks"]) == ["ann", "bob", "cid", "dan"]

    # ${nrOfCompletedInstances / nrOfInstances >= 0.5}: EL division gives a decimal, two of four suffice
    for assignee in ("ann", "bob"):
        task = UserTask.objects.get(process_instance_id=started["id"], state="created", assignee=assignee)
        assert complete(client, task.id).status_code == 200
    states = dict(UserTask.objects.filter(process_instance_id=started["id"], task_definition_key="review")
                  .values_list("assignee", "state"))
    assert states == {"ann": "completed", "bob": "completed", "cid": "cancelled", "dan": "cancelled"}

    # loopDataInputRef + inputDataItem: the element variable is the data item's name, sequentially
    assert complete_in_turn(client, started["id"], 2) == ["sue", "sam"]

    # a method result as the collection; the completion condition stops after two of three desks
    variables = _variables(client, started["id"])
    assert variables["notified"] == "oslo;bergen;"
    assert instance(client, started["id"])["activeActivityIds"] == ["archive"]


def test_a_collection_expression_that_gives_no_collection_is_refused_naming_the_element(api_client_for):
    client = api_client_for("process-starter", "deployer")
    deploy(client, "multi_instance_collections.bpmn")
    response = client.post("/v1/process-instances", {
        "processDefinitionKey": "mi-collections", "processVariables": {"order": {"region": "north", "items": "A,B"}}},
        format="json")
    assert response.status_code == 422, response.json()
    assert response.json()["elementId"] == "review"
    assert "${order.items}" in response.json()["detail"]
