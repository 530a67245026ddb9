"""Working user tasks. Visibility and who-may-do-what are checked here, for the API and the
dashboard alike: a task-worker works only tasks they are assignee or candidate of, for themselves;
a task-manager sees every task and assigns others."""

from django.db import transaction

from bpms.engine import get_engine
from bpms.models import UserTask
from bpms.selectors.tasks import sees_all_tasks, task_for
from eximee import roles
from eximee.errors import PermissionDenied

from .instances import business_data_writer


def _manages(user):
    return roles.has_any_role(user, roles.TASK_MANAGER)


def _check_not_held_by_other(user, task):
    if task.assignee and task.assignee != user.username and not _manages(user):
        raise PermissionDenied(f"Task {task.id} is assigned to {task.assignee}.")


def claim(user, task_id, user_id=None):
    """Claim for oneself, or (a task manager) for `user_id`; a task held by someone else stays theirs."""
    task = task_for(user, task_id)
    user_id = user_id or user.username
    if user_id != user.username and not _manages(user):
        raise PermissionDenied("Only a task manager claims tasks for others.")
    return get_engine().claim_task(task.id, user_id=user_id, actor=user.username)


def unclaim(user, task_id):
    task = task_for(user, task_id)
    _check_not_held_by_other(user, task)
    return get_engine().unclaim_task(task.id, actor=user.username)


def set_assignee(user, task_id, user_id):
    task = task_for(user, task_id)
    if user_id != user.username and not _manages(user):
        raise PermissionDenied("Only a task manager assigns tasks to others.")
    _check_not_held_by_other(user, task)
    return get_engine().set_assignee(task.id, user_id=user_id, actor=user.username)


def delegate(user, task_id, user_id):
    task = task_for(user, task_id)
    _check_not_held_by_other(user, task)
    return get_engine().delegate_task(task.id, user_id=user_id, actor=user.username)


def resolve(user, task_id, variables):
    task = task_for(user, task_id)
    _check_not_held_by_other(user, task)
    return get_engine().resolve_task(task.id, variables=variables, actor=user.username)


def set_variables(user, task_id, modifications):
    """Process variables set through a task (the engine's variables are the instance's, flat)."""
    task = task_for(user, task_id)
    _check_not_held_by_other(user, task)
    return get_engine().modify_variables(task.process_instance_id, modifications=modifications, deletions=[],
                                         actor=user.username)


def update(user, task_id, changes):
    task = task_for(user, task_id)
    if not sees_all_tasks(user) and not _manages(user):
        _check_not_held_by_other(user, task)
    return get_engine().update_task(task.id, changes=changes, actor=user.username)


def complete(user, task_id, *, variables, business_data=None):
    task = task_for(user, task_id)
    _check_not_held_by_other(user, task)
    write_business_data = business_data_writer(task.process_instance.definition, business_data, user.username)

    def before_run(instance, locked_task=None):
        # Again under the engine's lock: a claim by someone else may have landed since the read above.
        _check_not_held_by_other(user, locked_task or UserTask.objects.get(pk=task.pk))
        if write_business_data is not None:
            write_business_data(instance)

    with transaction.atomic():
        return get_engine().complete_user_task(task.id, variables=variables, actor=user.username,
                                               before_run=before_run)
