from django.apps import AppConfig


class EximeeConfig(AppConfig):
    name = "eximee"
    verbose_name = "Eximee platform"
    default_auto_field = "django.db.models.BigAutoField"
