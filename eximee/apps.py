from django.apps import AppConfig


class EximeeConfig(AppConfig):
    name = "eximee"
    verbose_name = "Eximee platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from eximee import role_mapping  # noqa: F401  (drops the cached role mappings when they change)
