from django.contrib import admin

from .models import Case, CaseStatusChange, CaseType, DomainEvent, EventRoute


@admin.register(CaseType)
class CaseTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "updated"]
    search_fields = ["name", "title"]


class StatusChangeInline(admin.TabularInline):
    model = CaseStatusChange
    extra = 0
    fields = ["case_version", "from_status", "to_status", "reason", "actor", "changed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Status changes go through the API or processes (with their history); the admin shows them."""

    list_display = ["case_number", "case_type", "status", "version", "updated"]
    list_filter = ["case_type", "status"]
    search_fields = ["case_number"]
    readonly_fields = ["id", "case_number", "case_type", "status", "status_reason", "attributes", "version",
                       "created_by", "created", "updated"]
    inlines = [StatusChangeInline]

    def has_add_permission(self, request):
        return False


@admin.register(EventRoute)
class EventRouteAdmin(admin.ModelAdmin):
    list_display = ["name", "event_type", "order", "action", "enabled", "payload_target"]
    list_filter = ["action", "enabled"]
    search_fields = ["name", "event_type", "message_name", "process_definition_key"]


@admin.register(DomainEvent)
class DomainEventAdmin(admin.ModelAdmin):
    list_display = ["received_at", "event_type", "source", "event_id", "case_number", "outcome"]
    list_filter = ["outcome", "event_type", "source"]
    search_fields = ["event_id", "case_number"]
    readonly_fields = [f.name for f in DomainEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
