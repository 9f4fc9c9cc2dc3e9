import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr.settings.base")

app = Celery("scr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
