import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eximee.settings")

app = Celery("eximee")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="eximee.ping")
def ping(value):
    """Round-trip probe used by health checks and tests."""
    return value
