"""Routes of /engine-rest (Camunda 7's paths). A list's `/count` is the same view with count=True."""

import re

from django.urls import path

from .views import definitions, events, external_tasks, history, incidents, instances, tasks


def listed(route, view, name):
    """`route` and `route/count`."""
    return [path(route, view.as_view(), name=name), path(f"{route}/count", view.as_view(count=True), name=f"{name}-count")]


def actions(route, name, views):
    """`route/<action>` for each {action: view}, named `name-<action>` (Camunda's camelCase in kebab case)."""
    return [path(f"{route}/{action}", view.as_view(), name=f"{name}-{re.sub('(?=[A-Z])', '-', action).lower()}")
            for action, view in views.items()]


urlpatterns = [
    path("deployment/create", definitions.CreateDeployment.as_view(), name="deployment-create"),
    *listed("process-definition", definitions.DefinitionList, "definition-list"),
    path("process-definition/key/<str:key>", definitions.DefinitionDetail.as_view(), name="definition-by-key"),
    path("process-definition/key/<str:key>/xml", definitions.DefinitionXml.as_view(), name="definition-xml-by-key"),
    path("process-definition/key/<str:key>/start", definitions.StartInstance.as_view(), name="start-by-key"),
    path("process-definition/<str:definition_id>", definitions.DefinitionDetail.as_view(), name="definition"),
    path("process-definition/<str:definition_id>/xml", definitions.DefinitionXml.as_view(), name="definition-xml"),
    path("process-definition/<str:definition_id>/start", definitions.StartInstance.as_view(), name="start"),
    *listed("decision-definition", definitions.DecisionDefinitionList, "decision-definition-list"),
    path("decision-definition/key/<str:key>/evaluate", definitions.EvaluateDecision.as_view(),
         name="decision-evaluate-by-key"),
    path("decision-definition/<str:definition_id>/evaluate", definitions.EvaluateDecision.as_view(),
         name="decision-evaluate"),

    *listed("process-instance", instances.InstanceList, "instance-list"),
    path("process-instance/<str:instance_id>", instances.InstanceDetail.as_view(), name="instance"),
    *actions("process-instance/<str:instance_id>", "instance",
             {"suspended": instances.Suspension, "variables": instances.InstanceVariables}),
    path("process-instance/<str:instance_id>/variables/<str:name>", instances.InstanceVariable.as_view(),
         name="instance-variable"),

    *listed("task", tasks.TaskList, "task-list"),
    path("task/<str:task_id>", tasks.TaskDetail.as_view(), name="task"),
    *actions("task/<str:task_id>", "task", {
        "claim": tasks.Claim, "unclaim": tasks.Unclaim, "assignee": tasks.Assignee, "delegate": tasks.Delegate,
        "resolve": tasks.Resolve, "complete": tasks.Complete, "submit-form": tasks.Complete,
        "variables": tasks.TaskVariables, "identity-links": tasks.IdentityLinks,
        "form-variables": tasks.FormVariables}),
    path("task/<str:task_id>/variables/<str:name>", tasks.TaskVariable.as_view(), name="task-variable"),

    path("external-task/fetchAndLock", external_tasks.FetchAndLock.as_view(), name="external-task-fetch"),
    *listed("external-task", external_tasks.ExternalTaskList, "external-task-list"),
    path("external-task/<str:task_id>", external_tasks.ExternalTaskDetail.as_view(), name="external-task"),
    *actions("external-task/<str:task_id>", "external-task", {
        "complete": external_tasks.Complete, "failure": external_tasks.Failure, "bpmnError": external_tasks.BpmnError,
        "extendLock": external_tasks.ExtendLock, "unlock": external_tasks.Unlock, "retries": external_tasks.Retries,
        "errorDetails": external_tasks.ErrorDetails}),

    path("message", events.CorrelateMessage.as_view(), name="message"),
    path("signal", events.ThrowSignal.as_view(), name="signal"),

    *listed("incident", incidents.IncidentList, "incident-list"),
    path("incident/<str:incident_id>", incidents.IncidentDetail.as_view(), name="incident"),
    *listed("job", incidents.JobList, "job-list"),
    path("job/<str:job_id>", incidents.JobDetail.as_view(), name="job"),
    *actions("job/<str:job_id>", "job", {"execute": incidents.ExecuteJob, "retries": incidents.JobRetries,
                                         "stacktrace": incidents.JobStacktrace}),
    *listed("job-definition", incidents.JobDefinitionList, "job-definition-list"),
    path("job-definition/<str:job_definition_id>", incidents.JobDefinitionDetail.as_view(), name="job-definition"),

    *listed("history/process-instance", history.HistoricInstances, "history-instance-list"),
    *listed("history/activity-instance", history.HistoricActivities, "history-activity-list"),
    *listed("history/task", history.HistoricTasks, "history-task-list"),
    *listed("history/variable-instance", history.HistoricVariables, "history-variable-list"),
    *listed("history/incident", history.HistoricIncidents, "history-incident-list"),
    *listed("history/user-operation", history.UserOperations, "history-user-operation-list"),
]
