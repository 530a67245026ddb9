"""Helpers of the engine tests: deploying models through the API, starting instances, reading tasks."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

MODELS = Path(__file__).parent / "models"


def upload(client, *filenames, name="tests", extra=None):
    files = [SimpleUploadedFile(f, (MODELS / f).read_bytes()) for f in filenames]
    files += [SimpleUploadedFile(f, content) for f, content in (extra or {}).items()]
    return client.post("/v1/deployments", {"name": name, "files": files}, format="multipart")


def deploy(client, *filenames):
    response = upload(client, *filenames)
    assert response.status_code == 201, response.json()
    return response.json()


def start(client, key, variables=None, **fields):
    response = client.post("/v1/process-instances", {"processDefinitionKey": key, "processVariables": variables or {},
                                                     **fields}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def open_tasks(client, **params):
    response = client.get("/v1/tasks", params)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def complete(client, task_id, variables=None, **fields):
    return client.post(f"/v1/tasks/{task_id}/complete", {"variables": variables or {}, **fields}, format="json")


def instance(client, instance_id):
    response = client.get(f"/v1/process-instances/{instance_id}")
    assert response.status_code == 200, response.json()
    return response.json()


def complete_in_turn(client, instance_id, rounds):
    """Complete the instance's one open task `rounds` times over (a sequential multi-instance);
    returns whose tasks they were, in order."""
    assignees = []
    for _ in range(rounds):
        [task] = instance(client, instance_id)["openTasks"]
        assignees.append(task["assignee"])
        assert complete(client, task["id"]).status_code == 200
    return assignees


def wait_states(instance_id):
    """What the engine reports to the async layer for an instance right now."""
    from bpms.engine.embedded import assignment
    from bpms.engine.embedded.persistence import Session
    from bpms.models import ProcessInstance
    process = ProcessInstance.objects.select_related("definition").get(id=instance_id)
    return assignment.wait_states(Session.load(process, "test").workflow)


def on_locked(instance_id, operation, *args, **kwargs):
    """Runs an async-layer operation of the engine as our services do: in a transaction holding
    the instance's lock."""
    from django.db import transaction

    from bpms.models import ProcessInstance
    with transaction.atomic():
        return operation(ProcessInstance.objects.select_for_update().get(id=instance_id), *args, **kwargs)


def task_keys(client, instance_id):
    """The task definition keys of the instance's open tasks, sorted (one per open task)."""
    return sorted(task["taskDefinitionKey"] for task in open_tasks(client, processInstanceId=str(instance_id)))


def complete_open(client, instance_id, key, variables=None):
    """Completes every open task `key` of the instance; returns how many there were."""
    tasks = [t for t in open_tasks(client, processInstanceId=str(instance_id)) if t["taskDefinitionKey"] == key]
    for task in tasks:
        assert complete(client, task["id"], variables).status_code == 200
    return len(tasks)


def variable_values(client, instance_id):
    """{name: value} of the instance's process variables, as GET /v1/process-instances/{id} shows them."""
    return {name: variable["value"] for name, variable in instance(client, instance_id)["processVariables"].items()}


def set_variables(client, instance_id, **modifications):
    response = client.patch(f"/v1/process-instances/{instance_id}/variables", {"modifications": modifications},
                            format="json")
    assert response.status_code == 200, response.json()
