"""The worker's task for enquiries: retention, run daily by beat (api/worker.py)."""

from celery import shared_task

from enquiries.services import enquiries_purge


@shared_task
def purge_enquiries():
    """Delete the enquiries older than ENQUIRY_RETENTION_DAYS; return how many."""
    return enquiries_purge()
