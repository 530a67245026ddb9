from django.apps import AppConfig


class DatamodelConfig(AppConfig):
    name = "datamodel"
    verbose_name = "Data model"
    default_auto_field = "django.db.models.BigAutoField"
