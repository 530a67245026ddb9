from django.contrib import admin
from django.utils import timezone

from .models import DataModel, DataModelVersion, DataRecord, DataRecordRevision


class VersionInline(admin.TabularInline):
    model = DataModelVersion
    extra = 0
    fields = ["version", "published", "published_at", "created"]
    readonly_fields = ["version", "published", "published_at", "created"]
    show_change_link = True
    can_delete = False


@admin.register(DataModel)
class DataModelAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "updated"]
    search_fields = ["name", "title"]
    inlines = [VersionInline]


@admin.register(DataModelVersion)
class DataModelVersionAdmin(admin.ModelAdmin):
    list_display = ["model", "version", "published", "published_at"]
    list_filter = ["published", "model"]
    actions = ["publish"]

    readonly_fields = ["published_at"]

    # A published version is shown read-only: it is immutable.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.published)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.published)

    def save_model(self, request, obj, form, change):
        if obj.published and not obj.published_at:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish the selected versions (they become immutable)")
    def publish(self, request, queryset):
        queryset.filter(published=False).update(published=True, published_at=timezone.now())


class RevisionInline(admin.TabularInline):
    model = DataRecordRevision
    extra = 0
    fields = ["revision", "model_version", "changed_fields", "actor", "created"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DataRecord)
class DataRecordAdmin(admin.ModelAdmin):
    """Business data changes only through processes; the admin shows it."""

    list_display = ["id", "business_key", "process_instance_id", "model", "revision", "updated"]
    search_fields = ["business_key", "process_instance_id"]
    list_filter = ["model"]
    readonly_fields = ["id", "model", "model_version", "business_key", "process_instance_id", "revision", "data",
                       "created", "updated"]
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False
