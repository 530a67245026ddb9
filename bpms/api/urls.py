"""Routes of the BPMS API. Two helpers add lines here: engine views (deployments, definitions,
instances, tasks, history) and async views (external tasks, messages, signals, jobs, incidents)."""

from django.urls import path  # noqa: F401

urlpatterns = []
