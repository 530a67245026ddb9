"""Reads of service tasks (external tasks)."""

import re
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from bpms.models import ExternalTask
from eximee.errors import NotFound


def get(task_id):
    task = ExternalTask.objects.filter(id=task_id).first()
    if task is None:
        raise NotFound(f"Service task {task_id} does not exist.")
    return task


def topic_regex(pattern):
    """An fnmatch pattern (`payments.*`, `mail.?`, `[!a]*`, read as fnmatchcase reads it) as an
    anchored regular expression the database evaluates, so a list is filtered before it is paged."""
    parts, i, n = ["^"], 0, len(pattern)
    while i < n:
        char, i = pattern[i], i + 1
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        elif char == "[":
            end = i + (pattern[i:i + 1] == "!")
            end = pattern.find("]", end + (pattern[end:end + 1] == "]"))
            if end == -1:
                parts.append(re.escape(char))
                continue
            body, i = pattern[i:end].replace("\\", "\\\\"), end + 1
            if body.startswith("!"):
                body = "^" + body[1:]
            elif body.startswith("^"):
                body = "\\" + body
            parts.append(f"[{body}]")
        else:
            parts.append(re.escape(char))
    return "".join(parts) + "$"


def search(*, topic=None, worker_id=None, process_instance_id=None, business_key=None, activity_id=None,
           locked=None, with_retries_left=None, builtin=None, topic_patterns=None):
    """topic_patterns: None for every topic, else only topics matching one of these fnmatch patterns."""
    query = ExternalTask.objects.all()
    if topic_patterns is not None:
        query = query.filter(reduce(or_, (Q(topic__regex=topic_regex(p)) for p in topic_patterns), Q(pk__in=[])))
    for field, value in (("topic", topic), ("worker_id", worker_id), ("process_instance_id", process_instance_id),
                         ("business_key", business_key), ("activity_id", activity_id), ("builtin", builtin)):
        if value is not None:
            query = query.filter(**{field: value})
    now = timezone.now()
    if locked is not None:
        held = Q(lock_expires_at__gt=now) & ~Q(worker_id="")
        query = query.filter(held) if locked else query.exclude(held)
    if with_retries_left is not None:
        left = Q(retries__isnull=True) | Q(retries__gt=0)
        query = query.filter(left) if with_retries_left else query.exclude(left)
    return query.order_by("created_at", "id")
