"""Routes of /engine-rest (Camunda 7's paths). A list's `/count` is the same view with count=True."""

from django.urls import path

from .views import definitions, events, external_tasks, history, incidents, instances, tasks


def listed(route, view, name):
    """`route` and `route/count`."""
    return [path(route, view.as_view(), name=name), path(f"{route}/count", view.as_view(count=True), name=f"{name}-count")]


urlpatterns = [
    path("deployment/create", definitions.CreateDeployment.as_view(), name="deployment-create"),
    *listed("process-definition", definitions.DefinitionList, "definition-list"),
    path("process-definition/key/<str:key>", definitions.DefinitionDetail.as_view(), name="definition-by-key"),
    path("process-definition/key/<str:key>/xml", definitions.DefinitionXml.as_view(), name="definition-xml-by-key"),
    path("process-definition/key/<str:key>/start", definitions.StartInstance.as_view(), name="start-by-key"),
    path("process-definition/<str:definition_id>", definitions.DefinitionDetail.as_view(), name="definition"),
    path("process-definition/<str:definition_id>/xml", definitions.DefinitionXml.as_view(), name="definition-xml"),
    path("process-definition/<str:definition_id>/start", definitions.StartInstance.as_view(), name="start"),

    *listed("process-instance", instances.InstanceList, "instance-list"),
    path("process-instance/<str:instance_id>", instances.InstanceDetail.as_view(), name="instance"),
    path("process-instance/<str:instance_id>/suspended", instances.Suspension.as_view(), name="instance-suspended"),
    path("process-instance/<str:instance_id>/variables", instances.InstanceVariables.as_view(),
         name="instance-variables"),
    path("process-instance/<str:instance_id>/variables/<str:name>", instances.InstanceVariable.as_view(),
         name="instance-variable"),

    *listed("task", tasks.TaskList, "task-list"),
    path("task/<str:task_id>", tasks.TaskDetail.as_view(), name="task"),
    path("task/<str:task_id>/claim", tasks.Claim.as_view(), name="task-claim"),
    path("task/<str:task_id>/unclaim", tasks.Unclaim.as_view(), name="task-unclaim"),
    path("task/<str:task_id>/assignee", tasks.Assignee.as_view(), name="task-assignee"),
    path("task/<str:task_id>/delegate", tasks.Delegate.as_view(), name="task-delegate"),
    path("task/<str:task_id>/resolve", tasks.Resolve.as_view(), name="task-resolve"),
    path("task/<str:task_id>/complete", tasks.Complete.as_view(), name="task-complete"),
    path("task/<str:task_id>/submit-form", tasks.Complete.as_view(), name="task-submit-form"),
    path("task/<str:task_id>/variables", tasks.TaskVariables.as_view(), name="task-variables"),
    path("task/<str:task_id>/variables/<str:name>", tasks.TaskVariable.as_view(), name="task-variable"),
    path("task/<str:task_id>/identity-links", tasks.IdentityLinks.as_view(), name="task-identity-links"),
    path("task/<str:task_id>/form-variables", tasks.FormVariables.as_view(), name="task-form-variables"),

    path("external-task/fetchAndLock", external_tasks.FetchAndLock.as_view(), name="external-task-fetch"),
    *listed("external-task", external_tasks.ExternalTaskList, "external-task-list"),
    path("external-task/<str:task_id>", external_tasks.ExternalTaskDetail.as_view(), name="external-task"),
    path("external-task/<str:task_id>/complete", external_tasks.Complete.as_view(), name="external-task-complete"),
    path("external-task/<str:task_id>/failure", external_tasks.Failure.as_view(), name="external-task-failure"),
    path("external-task/<str:task_id>/bpmnError", external_tasks.BpmnError.as_view(), name="external-task-bpmn-error"),
    path("external-task/<str:task_id>/extendLock", external_tasks.ExtendLock.as_view(),
         name="external-task-extend-lock"),
    path("external-task/<str:task_id>/unlock", external_tasks.Unlock.as_view(), name="external-task-unlock"),
    path("external-task/<str:task_id>/retries", external_tasks.Retries.as_view(), name="external-task-retries"),
    path("external-task/<str:task_id>/errorDetails", external_tasks.ErrorDetails.as_view(),
         name="external-task-error-details"),

    path("message", events.CorrelateMessage.as_view(), name="message"),
    path("signal", events.ThrowSignal.as_view(), name="signal"),

    *listed("incident", incidents.IncidentList, "incident-list"),
    path("incident/<str:incident_id>", incidents.IncidentDetail.as_view(), name="incident"),
    *listed("job", incidents.JobList, "job-list"),
    path("job/<str:job_id>", incidents.JobDetail.as_view(), name="job"),
    path("job/<str:job_id>/execute", incidents.ExecuteJob.as_view(), name="job-execute"),
    path("job/<str:job_id>/retries", incidents.JobRetries.as_view(), name="job-retries"),

    *listed("history/process-instance", history.HistoricInstances, "history-instance-list"),
    *listed("history/activity-instance", history.HistoricActivities, "history-activity-list"),
    *listed("history/task", history.HistoricTasks, "history-task-list"),
    *listed("history/variable-instance", history.HistoricVariables, "history-variable-list"),
    *listed("history/incident", history.HistoricIncidents, "history-incident-list"),
    *listed("history/user-operation", history.UserOperations, "history-user-operation-list"),
]
