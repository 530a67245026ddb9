from django.apps import AppConfig


class BpmsConfig(AppConfig):
    name = "bpms"
    verbose_name = "Process management (BPMS)"
    default_auto_field = "django.db.models.BigAutoField"
