from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eximee.api.serializers import DateTimeField


class ProcessDefinitionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    key = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    deploymentId = serializers.UUIDField(source="deployment_id")
    resourceName = serializers.CharField(source="resource_name")
    dataModel = serializers.CharField(source="data_model")
    messageStartEvents = serializers.JSONField(source="message_start_events")
    signalStartEvents = serializers.JSONField(source="signal_start_events")
    timerStartEvents = serializers.JSONField(source="timer_start_events")
    createdAt = DateTimeField(source="created_at")


class DeploymentRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class StartInstanceSerializer(serializers.Serializer):
    processDefinitionKey = serializers.CharField(max_length=255)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    businessKey = serializers.CharField(required=False, allow_null=True, max_length=200)
    processVariables = serializers.JSONField(required=False)
    businessData = serializers.JSONField(required=False, allow_null=True)
    startActivityId = serializers.CharField(required=False, allow_null=True, max_length=255)


class UserTaskSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()
    taskDefinitionKey = serializers.CharField(source="task_definition_key")
    processInstanceId = serializers.UUIDField(source="process_instance_id")
    processDefinitionKey = serializers.CharField(source="process_definition_key")
    businessKey = serializers.CharField(source="business_key", allow_null=True)
    state = serializers.CharField()
    assignee = serializers.CharField(allow_null=True)
    owner = serializers.CharField(allow_null=True)
    delegationState = serializers.CharField(source="delegation_state", allow_null=True)
    candidateUsers = serializers.ListField(source="candidate_users")
    candidateGroups = serializers.ListField(source="candidate_groups")
    priority = serializers.IntegerField()
    due = DateTimeField(source="due_at", allow_null=True)
    followUp = DateTimeField(source="follow_up_at", allow_null=True)
    formKey = serializers.CharField(source="form_key")
    created = DateTimeField(source="created_at")


class TaskDetailSerializer(UserTaskSerializer):
    form = serializers.SerializerMethodField()
    localVariables = serializers.JSONField(source="local_variables")

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_form(self, task):
        return {"key": task.form_key or None, "fields": task.form_fields}


class HistoricTaskSerializer(UserTaskSerializer):
    claimedBy = serializers.CharField(source="claimed_by")
    claimed = DateTimeField(source="claimed_at", allow_null=True)
    completedBy = serializers.CharField(source="completed_by")
    ended = DateTimeField(source="ended_at", allow_null=True)
    durationMs = serializers.IntegerField(source="duration_ms", allow_null=True)
    deleteReason = serializers.CharField(source="delete_reason")


class InstanceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    processDefinitionId = serializers.UUIDField(source="definition_id")
    processDefinitionKey = serializers.CharField(source="process_definition_key")
    processDefinitionVersion = serializers.IntegerField(source="definition.version")
    businessKey = serializers.CharField(source="business_key", allow_null=True)
    state = serializers.CharField()
    suspended = serializers.BooleanField()
    incident = serializers.BooleanField(source="has_incident")
    activeActivityIds = serializers.ListField(source="active_activity_ids")
    parentId = serializers.UUIDField(source="parent_id", allow_null=True)
    startedBy = serializers.CharField(source="started_by")
    started = DateTimeField(source="started_at")
    ended = DateTimeField(source="ended_at", allow_null=True)
    endReason = serializers.CharField(source="end_reason")


class ActivityInstanceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    processInstanceId = serializers.UUIDField(source="process_instance_id")
    activityId = serializers.CharField(source="activity_id")
    activityName = serializers.CharField(source="activity_name")
    activityType = serializers.CharField(source="activity_type")
    started = DateTimeField(source="started_at")
    ended = DateTimeField(source="ended_at", allow_null=True)
    durationMs = serializers.IntegerField(source="duration_ms", allow_null=True)
    canceled = serializers.BooleanField()


class VariableChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    processInstanceId = serializers.UUIDField(source="process_instance_id")
    name = serializers.CharField()
    change = serializers.CharField()
    type = serializers.CharField()
    oldValue = serializers.JSONField(source="old_value")
    newValue = serializers.JSONField(source="new_value")
    changedBy = serializers.CharField(source="actor")
    changed = DateTimeField(source="changed_at")


class TimelineEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    summary = serializers.CharField()
    actor = serializers.CharField()
    occurred = DateTimeField(source="occurred_at")
    data = serializers.JSONField()


class CompleteTaskSerializer(serializers.Serializer):
    variables = serializers.JSONField(required=False)
    businessData = serializers.JSONField(required=False, allow_null=True)


class UserIdSerializer(serializers.Serializer):
    userId = serializers.CharField(max_length=150, allow_null=True)


class TaskUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=255)
    due = serializers.DateTimeField(required=False, allow_null=True, source="due_at")
    followUp = serializers.DateTimeField(required=False, allow_null=True, source="follow_up_at")
    priority = serializers.IntegerField(required=False)


class VariablesPatchSerializer(serializers.Serializer):
    modifications = serializers.JSONField(required=False)
    deletions = serializers.ListField(child=serializers.CharField(max_length=255), required=False)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
