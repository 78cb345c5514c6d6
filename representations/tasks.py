"""The worker renders what many items' changes left stale, and sweeps up what a lost task did."""

from celery import shared_task

from representations import rendering


@shared_task
def render_stale():
    return {"rendered": rendering.render_stale()}
