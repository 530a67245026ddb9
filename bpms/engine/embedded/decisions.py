"""Business rule tasks: the deployed DMN decision a task's camunda:decisionRef names, evaluated with
the task's variables and shaped as its camunda:mapDecisionResult says (the DMN itself is
bpms/engine/dmn).

Which version: `latest` (the default) is the newest version when the task runs, as in Camunda 7;
`deployment` the one deployed with the process (its deployment id is fixed at deploy time);
`version` and `versionTag` the version named on the task."""

from functools import lru_cache

from bpms.engine import dmn
from bpms.models import DecisionDefinition, locking

from . import runtime
from .bpmn_xml import Problem


class DecisionNotFound(LookupError):
    pass


# --- deployment --------------------------------------------------------------------------------

def parse(files, problems):
    """{file name: [decision]} of the deployment's .dmn files; their problems go to `problems`,
    and so does a decision key that two files of one deployment both define."""
    by_file, owner = {}, {}
    for name, content in files.items():
        if not name.lower().endswith(".dmn"):
            continue
        try:
            by_file[name] = dmn.parse_dmn(name, content)
        except dmn.DmnInvalid as exc:
            problems.extend(exc.problems)
            continue
        for decision in by_file[name]:
            if owner.setdefault(decision.key, name) != name:
                problems.append(Problem(name, decision.key, f"decision '{decision.key}' is also defined in {owner[decision.key]}"))
    return by_file


def _decision_tasks(specs):
    for spec in specs:
        for task_spec in spec.task_specs.values():
            decision = runtime.metadata_of_spec(task_spec).get("decision")
            if decision:
                yield task_spec, decision


def check_references(processes, by_file, problems):
    """A business rule task naming a decision literally must find it: in this deployment, or (for
    bindings other than `deployment`) among the decisions deployed before. References given as
    expressions are resolved when the task runs."""
    here = {decision.key for decisions in by_file.values() for decision in decisions}
    named = {decision["ref"] for _, (spec, subprocess_specs, _) in processes.items()
             for _, decision in _decision_tasks([spec, *subprocess_specs.values()])}
    before = set(DecisionDefinition.objects.filter(key__in=named - here).values_list("key", flat=True).distinct())
    for _, (spec, subprocess_specs, info) in processes.items():
        for task_spec, decision in _decision_tasks([spec, *subprocess_specs.values()]):
            ref = decision["ref"]
            if "${" in ref or "#{" in ref or ref in here or (ref in before and decision["binding"] != "deployment"):
                continue
            where = "in this deployment" if decision["binding"] == "deployment" else "deployed"
            problems.append(Problem(info["resource"], task_spec.bpmn_id, f"no decision '{ref}' {where}"))


def bind_to_deployment(specs, deployment_id):
    """Tasks with decisionRefBinding="deployment" read their decision from this deployment."""
    for _, decision in _decision_tasks(specs):
        if decision["binding"] == "deployment":
            decision["deploymentId"] = str(deployment_id)


def store(deployment, by_file):
    """Each decision as the next version of its key, with the decisions of its file."""
    latest = locking.latest_versions(DecisionDefinition,
                                     [decision.key for decisions in by_file.values() for decision in decisions])
    rows = [DecisionDefinition(key=decision.key, version=latest[decision.key] + 1, version_tag=decision.version_tag or "",
                               name=decision.name or "", deployment=deployment, resource_name=name,
                               decisions={each.key: each.to_json() for each in decisions})
            for name, decisions in by_file.items() for decision in decisions]
    return DecisionDefinition.objects.bulk_create(rows)


# --- evaluation --------------------------------------------------------------------------------


def decide(ref, binding, mapping, variables, *, version=None, version_tag=None, deployment_id=None):
    """The mapped result of the decision `ref` for `variables`. Raises DecisionNotFound or
    dmn.DmnError."""
    key, decisions = _decisions(_definition_id(ref, binding, version, version_tag, deployment_id))
    return dmn.map_result(dmn.evaluate(decisions, key, variables), mapping)


def _definition_id(ref, binding, version, version_tag, deployment_id):
    rows = DecisionDefinition.objects.filter(key=ref)
    if binding == "deployment":
        rows, which = rows.filter(deployment_id=deployment_id), "in the process's deployment"
    elif binding == "version":
        rows, which = rows.filter(version=_version_number(version)), f"in version {version}"
    elif binding == "versionTag":
        rows, which = rows.filter(version_tag=str(version_tag)), f"with version tag '{version_tag}'"
    else:
        which = "deployed"
    found = rows.order_by("-version").values_list("id", flat=True).first()
    if found is None:
        raise DecisionNotFound(f"no decision '{ref}' {which}")
    return found


def _version_number(version):
    try:
        return int(str(version))
    except ValueError:
        raise DecisionNotFound(f"camunda:decisionRefVersion '{version}' is not a whole number") from None


@lru_cache(maxsize=256)
def _decisions(definition_id):
    """A stored decision and the decisions of its file, parsed once per process: rows never change."""
    row = DecisionDefinition.objects.only("key", "decisions").get(id=definition_id)
    return row.key, {key: dmn.Decision.from_json(data) for key, data in row.decisions.items()}
