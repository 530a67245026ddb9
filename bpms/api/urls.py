"""Routes of the BPMS API. Two helpers add lines here: engine views (deployments, definitions,
instances, tasks, history) and async views (external tasks, messages, signals, jobs, incidents)."""

from django.urls import path  # noqa: F401

from . import external_tasks, incidents, jobs, messages, signals

urlpatterns = []

# --- async layer: service tasks, jobs, messages, signals, incidents ---
urlpatterns += [
    path("service-tasks", external_tasks.ExternalTaskList.as_view(), name="service-task-list"),
    path("service-tasks/fetch-and-lock", external_tasks.FetchAndLock.as_view(), name="service-task-fetch-and-lock"),
    path("service-tasks/<uuid:task_id>", external_tasks.ExternalTaskDetail.as_view(), name="service-task-detail"),
    path("service-tasks/<uuid:task_id>/complete", external_tasks.Complete.as_view(), name="service-task-complete"),
    path("service-tasks/<uuid:task_id>/failure", external_tasks.Failure.as_view(), name="service-task-failure"),
    path("service-tasks/<uuid:task_id>/bpmn-error", external_tasks.BpmnError.as_view(), name="service-task-bpmn-error"),
    path("service-tasks/<uuid:task_id>/extend-lock", external_tasks.ExtendLock.as_view(),
         name="service-task-extend-lock"),
    path("service-tasks/<uuid:task_id>/unlock", external_tasks.Unlock.as_view(), name="service-task-unlock"),
    path("jobs", jobs.JobList.as_view(), name="job-list"),
    path("jobs/<uuid:job_id>", jobs.JobDetail.as_view(), name="job-detail"),
    path("jobs/<uuid:job_id>/execute", jobs.ExecuteJob.as_view(), name="job-execute"),
    path("messages", messages.PublishMessage.as_view(), name="message-publish"),
    path("signals", signals.BroadcastSignal.as_view(), name="signal-broadcast"),
    path("incidents", incidents.IncidentList.as_view(), name="incident-list"),
    path("incidents/<uuid:incident_id>", incidents.IncidentDetail.as_view(), name="incident-detail"),
    path("incidents/<uuid:incident_id>/retry", incidents.RetryIncident.as_view(), name="incident-retry"),
    path("incidents/<uuid:incident_id>/annotation", incidents.IncidentAnnotation.as_view(), name="incident-annotation"),
]
