"""The locking reads engine operations start with, compiled once per process (eximee.compiled).

Every operation locks the process instance row first and the row it acts on (external task, job,
user task, event subscription) second, so that two operations never deadlock against each other;
an instance found through that row is found in the same query."""

from eximee.compiled import CompiledRead

from .jobs import EventSubscription, ExternalTask, Job
from .runtime import ProcessInstance, UserTask


def _locked_instances():
    return ProcessInstance.objects.select_for_update(of=("self",))


def instance_with_definition(**lookup):
    """The instance locked, with its definition row (the whole model, XML and parsed) in the same
    query: only for operations that need the model's data, so not compiled."""
    return _locked_instances().select_related("definition").filter(**lookup).first()


def instances_unless_held(instance_ids):
    """These instances, locked, except those another transaction holds (SKIP LOCKED): for work that
    can wait for its next round (a batch of due jobs)."""
    return ProcessInstance.objects.select_for_update(of=("self",), skip_locked=True).filter(
        id__in=instance_ids).order_by("id")


def latest_versions(model, keys):
    """{key: its newest version, 0 when none} of a versioned definition model (process or decision
    definitions), each newest row locked so that concurrent deployments of one key number their
    versions one after the other; keys are locked in one order so two deployments never deadlock."""
    latest = {}
    for key in sorted(set(keys)):
        found = model.objects.select_for_update().filter(key=key).order_by("-version").first()
        latest[key] = found.version if found else 0
    return latest


INSTANCE = CompiledRead(lambda pk: _locked_instances().filter(id=pk), ProcessInstance._meta.pk)

INSTANCE_OF_EXTERNAL_TASK = CompiledRead(lambda pk: _locked_instances().filter(external_tasks__id=pk),
                                         ExternalTask._meta.pk)
EXTERNAL_TASK = CompiledRead(lambda pk: ExternalTask.objects.select_for_update().filter(id=pk),
                             ExternalTask._meta.pk)

INSTANCE_OF_JOB = CompiledRead(lambda pk: _locked_instances().filter(jobs__id=pk), Job._meta.pk)
JOB = CompiledRead(lambda pk: Job.objects.select_for_update().filter(id=pk), Job._meta.pk)

SUBSCRIPTION = CompiledRead(lambda pk: EventSubscription.objects.select_for_update().filter(id=pk),
                            EventSubscription._meta.pk)

INSTANCE_OF_USER_TASK = CompiledRead(
    lambda pk: _locked_instances().filter(id__in=UserTask.objects.filter(id=pk).values("process_instance_id")),
    UserTask._meta.pk)
# Not locked: the task changes only under its instance's lock.
USER_TASK = CompiledRead(lambda pk: UserTask.objects.filter(id=pk), UserTask._meta.pk)
