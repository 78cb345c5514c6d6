"""
The project package and its HTTP plumbing, at the top of the layers: settings, the one router
and the policies attached to each view (urls.py, policies.py), what runs before DRF
(public_answers.py, throttling.py, conditional.py), the schema, sync, feeds, sitemap and
redirects, health and metrics. It holds no content models; any app below may be imported
here, none imports it.
"""

# Load the Celery application with Django, so that tasks sent from the web processes use it.
from api.worker import app as celery_app

__all__ = ["celery_app"]
