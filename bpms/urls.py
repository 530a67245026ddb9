"""Dashboard pages of the process engine (names in the "dashboard" namespace)."""

from django.urls import path

from bpms import views

urlpatterns = [
    path("tasks/", views.TaskList.as_view(), name="task-list"),
    path("tasks/<uuid:pk>/", views.TaskDetail.as_view(), name="task-detail"),
    path("tasks/<uuid:pk>/claim/", views.TaskClaim.as_view(), name="task-claim"),
    path("tasks/<uuid:pk>/unclaim/", views.TaskUnclaim.as_view(), name="task-unclaim"),
    path("tasks/<uuid:pk>/assign/", views.TaskAssign.as_view(), name="task-assign"),
    path("tasks/<uuid:pk>/delegate/", views.TaskDelegate.as_view(), name="task-delegate"),
    path("tasks/<uuid:pk>/resolve/", views.TaskResolve.as_view(), name="task-resolve"),
    path("processes/", views.DefinitionList.as_view(), name="definition-list"),
    path("processes/<str:key>/", views.DefinitionDetail.as_view(), name="definition-detail"),
    path("instances/", views.InstanceList.as_view(), name="instance-list"),
    path("instances/<uuid:pk>/", views.InstanceDetail.as_view(), name="instance-detail"),
    path("instances/<uuid:pk>/cancel/", views.InstanceCancel.as_view(), name="instance-cancel"),
    path("instances/<uuid:pk>/suspend/", views.InstanceSuspend.as_view(), name="instance-suspend"),
    path("instances/<uuid:pk>/activate/", views.InstanceActivate.as_view(), name="instance-activate"),
    path("instances/<uuid:pk>/variables/", views.InstanceVariable.as_view(), name="instance-variable"),
    path("incidents/", views.IncidentList.as_view(), name="incident-list"),
    path("incidents/retry/", views.IncidentRetryBulk.as_view(), name="incident-retry-bulk"),
    path("incidents/<uuid:pk>/", views.IncidentDetail.as_view(), name="incident-detail"),
    path("incidents/<uuid:pk>/retry/", views.IncidentRetry.as_view(), name="incident-retry"),
    path("incidents/<uuid:pk>/annotation/", views.IncidentAnnotate.as_view(), name="incident-annotate"),
]
