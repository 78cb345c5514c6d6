"""
gunicorn's settings beyond bin/serve's flags, read by gunicorn when started from here: its own
log lines as JSON, like the app's (its access log off: the app logs each request), the loaded
project kept out of garbage collections, and the files of the Prometheus metrics of every
worker.
"""

import gc
import os
import shutil
import tempfile
from pathlib import Path

from gunicorn import glogging

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # api.access logs each request once, with its id.
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


class Logger(glogging.Logger):
    """gunicorn's logger, without its access log: api.access logs each request, with its id.

    With a logging configuration gunicorn gathers each request's access-log fields even for
    a logger that drops them: a tenth of a cached answer's CPU, for nothing.
    """

    def access(self, resp, req, environ, request_time):
        pass


logger_class = Logger


def post_worker_init(worker):
    # The project is loaded, and most of its objects live as long as the worker: frozen, they
    # are left out of garbage collections. A full collection walked them all, stopping the
    # worker for 63 and 72 ms in its first seconds under load (bench/README.md).
    gc.freeze()


# Prometheus metrics, summed over workers (prometheus-client's multiprocess mode) ---------
# Each worker writes its values to files in PROMETHEUS_MULTIPROC_DIR, which must be set before
# any worker imports prometheus_client, and emptied before they start: left-over files of an
# earlier run would be added in. Given one, it is emptied; otherwise one is made, and removed
# when gunicorn stops.
_metrics_dir_made = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _metrics_dir_made:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="ketamine-metrics-")


def on_starting(server):
    for left_over in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        left_over.unlink()


def child_exit(server, worker):
    # A dead worker's counts stay in the sums; its live gauges are dropped.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid, os.environ["PROMETHEUS_MULTIPROC_DIR"])


def on_exit(server):
    if _metrics_dir_made:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
