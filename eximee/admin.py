from django.contrib import admin

from eximee.models import AuditEntry, RoleMapping, TimelineEvent
from eximee.roles import AUDITOR, has_any_role


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows written only by services (engine state, audit, timeline): admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Auditors read the trail here; nobody adds, changes or deletes it (it is append-only)."""

    list_display = ["occurred_at", "actor", "client_id", "operation", "target", "outcome", "source_ip"]
    list_filter = ["outcome", ("occurred_at", admin.DateFieldListFilter)]
    search_fields = ["actor", "client_id", "operation", "target", "request_id"]
    date_hierarchy = "occurred_at"
    ordering = ["-occurred_at", "-id"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff and (
            request.user.is_superuser or has_any_role(request.user, AUDITOR))


@admin.register(TimelineEvent)
class TimelineEventAdmin(ReadOnlyAdmin):
    """The shared timeline, written only by services (read-only here like the audit trail)."""

    list_display = ["occurred_at", "kind", "summary", "business_key", "process_instance_id", "actor"]
    list_filter = ["kind", ("occurred_at", admin.DateFieldListFilter)]
    search_fields = ["business_key", "process_instance_id", "summary", "actor", "request_id"]
    ordering = ["-occurred_at", "-id"]


@admin.register(RoleMapping)
class RoleMappingAdmin(admin.ModelAdmin):
    """Which identity-provider groups or roles grant which domain roles; effective for the next
    token or sign-in without a redeploy (eximee/role_mapping.py). Changes are in the audit log."""

    list_display = ["claim_value", "role", "note", "updated_at"]
    list_filter = ["role"]
    search_fields = ["claim_value", "role", "note"]
    ordering = ["claim_value", "role"]
