import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengzhou_grants.settings.local")

app = Celery("zhengzhou_grants")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="core.ping")
def ping(value):
    """A round-trip probe used by the health check and the worker tests."""
    return {"pong": value}
