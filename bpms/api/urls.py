"""Routes of the BPMS API. Two helpers add lines here: engine views (deployments, definitions,
instances, tasks, history) and async views (external tasks, messages, signals, jobs, incidents)."""

from django.urls import path  # noqa: F401

from . import decisions, external_tasks, incidents, jobs, messages, signals

urlpatterns = []

# --- engine: deployments, definitions, instances, user tasks, history ---
from . import deployments, history, instances, tasks  # noqa: E402

urlpatterns += [
    path("deployments", deployments.DeploymentsView.as_view(), name="deployment-list"),
    path("process-definitions", deployments.ProcessDefinitionsView.as_view(), name="process-definition-list"),
    path("process-definitions/<str:key>", deployments.ProcessDefinitionVersionsView.as_view(),
         name="process-definition-versions"),
    path("process-definitions/<str:key>/versions/<int:version>/xml", deployments.ProcessDefinitionXmlView.as_view(),
         name="process-definition-xml"),
    path("decision-definitions/<str:key>/evaluate", decisions.EvaluateDecision.as_view(), name="decision-evaluate"),
    path("process-instances", instances.ProcessInstancesView.as_view(), name="process-instance-list"),
    path("process-instances/<uuid:instance_id>", instances.ProcessInstanceView.as_view(), name="process-instance-detail"),
    path("process-instances/<uuid:instance_id>/suspend", instances.SuspendView.as_view(), name="process-instance-suspend"),
    path("process-instances/<uuid:instance_id>/activate", instances.ActivateView.as_view(),
         name="process-instance-activate"),
    path("process-instances/<uuid:instance_id>/variables", instances.VariablesView.as_view(),
         name="process-instance-variables"),
    path("process-instances/<uuid:instance_id>/variables/<str:name>", instances.VariableView.as_view(),
         name="process-instance-variable"),
    path("process-instances/<uuid:instance_id>/timeline", instances.TimelineView.as_view(),
         name="process-instance-timeline"),
    path("tasks", tasks.TasksView.as_view(), name="task-list"),
    path("tasks/<uuid:task_id>", tasks.TaskView.as_view(), name="task-detail"),
    path("tasks/<uuid:task_id>/claim", tasks.ClaimView.as_view(), name="task-claim"),
    path("tasks/<uuid:task_id>/unclaim", tasks.UnclaimView.as_view(), name="task-unclaim"),
    path("tasks/<uuid:task_id>/assignee", tasks.AssigneeView.as_view(), name="task-assignee"),
    path("tasks/<uuid:task_id>/delegate", tasks.DelegateView.as_view(), name="task-delegate"),
    path("tasks/<uuid:task_id>/resolve", tasks.ResolveView.as_view(), name="task-resolve"),
    path("tasks/<uuid:task_id>/complete", tasks.CompleteView.as_view(), name="task-complete"),
    path("history/process-instances", history.HistoricInstancesView.as_view(), name="history-process-instances"),
    path("history/activity-instances", history.HistoricActivitiesView.as_view(), name="history-activity-instances"),
    path("history/tasks", history.HistoricTasksView.as_view(), name="history-tasks"),
    path("history/variables", history.HistoricVariablesView.as_view(), name="history-variables"),
]

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
