"""bin/worker, as deployed: another process, reached through kombu's filesystem queue."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from api.worker import app
from tests.factories import ArticleFactory
from tests.servers import ROOT, production_env
from tests.test_webhooks_delivery import integrator_api, publish, receiver, subscribe

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]

__all__ = ["integrator_api", "receiver"]  # fixtures


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_bin_worker_delivers_what_this_process_publishes(integrator_api, receiver):
    ArticleFactory(slug="across-processes", in_review=True)
    subscribe(integrator_api, receiver)
    with tempfile.TemporaryDirectory() as state:
        env = production_env(
            database_url(),
            PYTHON=sys.executable,
            WORKER_STATE_DIR=state,
            CELERY_BROKER_URL="filesystem://localhost/",
            WEBHOOK_ALLOW_PRIVATE_TARGETS="1",
            WORKER_CONCURRENCY="1",
            # Only the "relay now" sent at commit can make the delivery quick.
            WEBHOOK_RELAY_INTERVAL_SECONDS="60",
            LOG_LEVEL="INFO",
        )
        os.makedirs(f"{state}/queue")
        log = open(f"{state}/worker.log", "wb")  # noqa: SIM115 closed below
        worker = subprocess.Popen(  # noqa: S603 our own script
            [str(ROOT / "bin" / "worker")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        # This process sends "relay now" through the same folder, as a web server would.
        queue = Celery("filesystem-queue", set_as_current=False)
        queue.config_from_object("django.conf:settings", namespace="CELERY")
        queue.conf.broker_url = "filesystem://localhost/"
        queue.conf.broker_transport_options = {
            "data_folder_in": f"{state}/queue",
            "data_folder_out": f"{state}/queue",
            "control_folder": f"{state}/control",
            "store_processed": False,
        }
        try:
            deadline = time.monotonic() + 30
            while b" ready." not in Path(state, "worker.log").read_bytes():
                assert worker.poll() is None and time.monotonic() < deadline, "worker not ready"
                time.sleep(0.1)
            queue.set_current()
            publish(integrator_api, "across-processes")
            app.set_current()
            (payload,) = receiver.wait_for(1, timeout=5)
        finally:
            app.set_current()
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=20)
            log.close()
            output = Path(state, "worker.log").read_text(errors="replace")
    assert payload["data"]["slug"] == "across-processes"
    assert worker.returncode == 0, output[-2000:]
