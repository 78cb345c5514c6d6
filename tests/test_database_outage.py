"""When PostgreSQL goes away the API answers 503 problems at once, and recovers by itself."""

import json
import time

import pytest

from tests.servers import AppServer, ThrowawayPostgres, manage, production_env

pytestmark = pytest.mark.requires_postgres

PATHS = (
    "/api/v1/articles/",  # the answer cache reads the generation in a middleware
    "/api/v1/search/?q=ketamine",  # a DRF view queries
    "/admin/",  # Django's admin, outside DRF, reads the session
    "/readyz",
)
# With a session cookie, the admin looks the session up in the database.
HEADERS = {"Cookie": "sessionid=not-a-session"}


@pytest.fixture(scope="module")
def postgres():
    server = ThrowawayPostgres()
    server.start()
    yield server
    server.destroy()


@pytest.fixture(scope="module")
def app(postgres):
    env = production_env(postgres.url, DATABASE_CONNECT_TIMEOUT="2")
    manage(env, "migrate", "--noinput")
    server = AppServer(env)
    yield server
    server.stop()


def test_503_problems_while_the_database_is_down_then_recovery(postgres, app):
    for path in PATHS:
        assert app.get(path, headers=HEADERS)[0] == 200, (path, app.output()[-2000:])

    postgres.stop()
    for path in PATHS:
        started = time.monotonic()
        status, headers, body = app.get(path, headers=HEADERS)
        elapsed = time.monotonic() - started
        assert status == 503, (path, status, body[:300])
        assert elapsed < 2, (path, elapsed)
        assert headers["Content-Type"] == "application/problem+json"
        assert headers["Retry-After"]
        assert json.loads(body)["status"] == 503

    postgres.start()
    app.wait_until(
        lambda: all(app.get(path, headers=HEADERS)[0] == 200 for path in PATHS), seconds=10
    )


def test_503_problems_within_5_s_while_the_database_is_frozen_then_recovery(postgres, app):
    app.wait_until(lambda: app.get("/readyz")[0] == 200, seconds=10)
    for path in PATHS:
        # The worker's connection is open and reused: it is what a frozen server leaves hanging.
        assert app.get(path, headers=HEADERS)[0] == 200, (path, app.output()[-2000:])

    postgres.freeze()
    try:
        for path in PATHS:
            started = time.monotonic()
            status, headers, body = app.get(path, headers=HEADERS, timeout=30)
            elapsed = time.monotonic() - started
            assert status == 503, (path, status, body[:300], app.output()[-2000:])
            assert elapsed < 5, (path, elapsed)
            assert headers["Content-Type"] == "application/problem+json"
            assert headers["Retry-After"]
    finally:
        postgres.thaw()
    app.wait_until(
        lambda: all(app.get(path, headers=HEADERS)[0] == 200 for path in PATHS), seconds=10
    )


def test_connections_carry_the_statement_timeout(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "5s"


def test_a_slow_query_is_cut_off(postgres):
    import subprocess
    import sys

    from tests.servers import ROOT

    script = (
        "from django.db import connection, OperationalError\n"
        "try:\n"
        "    connection.cursor().execute('SELECT pg_sleep(3)')\n"
        "except OperationalError as error:\n"
        "    print('cancelled:', type(error.__cause__).__name__)\n"
    )
    env = production_env(postgres.url, DATABASE_STATEMENT_TIMEOUT_MS="200")
    result = subprocess.run(  # noqa: S603 our own manage.py
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "cancelled: QueryCanceled" in result.stdout, result.stderr[-2000:]


def test_the_app_stops_waiting_for_a_query_a_second_after_the_statement_timeout(postgres):
    import subprocess
    import sys

    from tests.servers import ROOT

    # The session lifts the server's own limit, as a server too stuck to enforce it would.
    script = (
        "import time\n"
        "from django.db import connection, OperationalError\n"
        "cursor = connection.cursor()\n"
        "cursor.execute('SET statement_timeout = 0')\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    cursor.execute('SELECT pg_sleep(10)')\n"
        "except OperationalError:\n"
        "    print('gave up after', round(time.monotonic() - started, 1))\n"
    )
    env = production_env(postgres.url, DATABASE_STATEMENT_TIMEOUT_MS="500")
    result = subprocess.run(  # noqa: S603 our own manage.py
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "gave up after" in result.stdout, result.stderr[-2000:]
    assert 1.4 <= float(result.stdout.split()[-1]) < 3
