from django.contrib import admin

from .models import ActivityInstance, Deployment, ProcessDefinition, ProcessInstance, UserTask, VariableChange


class ReadOnlyAdmin(admin.ModelAdmin):
    """Engine rows change only through the engine (services and API); the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deployment)
class DeploymentAdmin(ReadOnlyAdmin):
    list_display = ("name", "deployed_by", "deployed_at")
    search_fields = ("name",)


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(ReadOnlyAdmin):
    list_display = ("key", "version", "name", "data_model", "created_at")
    search_fields = ("key", "name")
    exclude = ("engine_spec",)


@admin.register(ProcessInstance)
class ProcessInstanceAdmin(ReadOnlyAdmin):
    list_display = ("id", "process_definition_key", "business_key", "state", "suspended", "started_at", "ended_at")
    list_filter = ("state", "suspended", "process_definition_key")
    search_fields = ("business_key", "id")
    exclude = ("engine_state",)


@admin.register(UserTask)
class UserTaskAdmin(ReadOnlyAdmin):
    list_display = ("name", "task_definition_key", "business_key", "state", "assignee", "priority", "created_at")
    list_filter = ("state", "process_definition_key")
    search_fields = ("business_key", "assignee", "name")


@admin.register(ActivityInstance)
class ActivityInstanceAdmin(ReadOnlyAdmin):
    list_display = ("activity_id", "activity_type", "process_instance", "started_at", "ended_at", "canceled")
    search_fields = ("activity_id",)


@admin.register(VariableChange)
class VariableChangeAdmin(ReadOnlyAdmin):
    list_display = ("name", "change", "process_instance", "actor", "changed_at")
    search_fields = ("name",)
