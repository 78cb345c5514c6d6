# Load the Celery application with Django, so that tasks sent from the web processes use it.
from api.worker import app as celery_app

__all__ = ["celery_app"]
