"""
The Celery application: the background worker that relays publishing events to webhooks
and deletes enquiries past retention.

`bin/worker` runs it (`celery -A api.worker worker --beat`). Its configuration is the
`CELERY_*` settings of api/settings.py, so the web processes and the workers share one
environment.
"""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, task_failure, worker_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")

app = Celery("ketamine")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["webhooks", "enquiries", "images", "representations"])


@app.on_after_configure.connect
def schedule_relay(sender, **kwargs):
    """Relay the outbox every few seconds: new events, retries due and scheduled publishing."""
    sender.add_periodic_task(
        float(settings.WEBHOOK_RELAY_INTERVAL_SECONDS),
        sender.signature("webhooks.tasks.relay_outbox"),
        name="relay the webhook outbox",
    )


@app.on_after_configure.connect
def schedule_rendering(sender, **kwargs):
    """Render what a lost task or a broker outage left stale (representations/)."""
    sender.add_periodic_task(
        float(settings.RENDER_STALE_INTERVAL_SECONDS),
        sender.signature("representations.tasks.render_stale"),
        name="render stale representations",
    )


@app.on_after_configure.connect
def schedule_enquiry_retention(sender, **kwargs):
    """Delete enquiries past retention daily, at a fixed hour: a beat restarted often still runs."""
    sender.add_periodic_task(
        crontab(hour=3, minute=30),  # UTC
        sender.signature("enquiries.tasks.purge_enquiries"),
        name="purge enquiries past retention",
    )


def prepare_filesystem_queue():
    """Create the folder of kombu's filesystem transport, when it is the broker."""
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if key in options:
            os.makedirs(options[key], exist_ok=True)


@worker_init.connect
@beat_init.connect
def prepare_worker_state(**kwargs):
    """Create the folder of beat's schedule file before beat opens it."""
    os.makedirs(os.path.dirname(settings.CELERY_BEAT_SCHEDULE_FILENAME), exist_ok=True)
    prepare_filesystem_queue()


@task_failure.connect
def count_failure(sender=None, **kwargs):
    from webhooks.metrics import count_task_failure  # the app loads before Django's models

    count_task_failure(sender.name)
