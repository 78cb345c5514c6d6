"""
Django's PostgreSQL backend, with every wait for the server bounded in time on the client side.

A server that is frozen (stopped, swapped out, its host hung) rather than gone keeps its TCP
connections open, so a reused connection would wait for an answer for ever: the connect
timeout covers only new connections, the statement timeout is enforced by the server itself,
and TCP keepalives are answered by the server's kernel. Here a watchdog shuts the socket of a
connection that waits too long; psycopg then fails the operation, the request is a 503
problem, and the next request reconnects (health checks) as soon as the server answers again.

The bounds come from the settings (see api.settings.database): the health check of a reused
connection waits HEALTH_CHECK_TIMEOUT seconds, a query or commit QUERY_TIMEOUT. After a failed
attempt to connect, others fail at once for a second instead of each waiting the connect timeout.
"""

import contextlib
import os
import socket
import threading
import time

from django.db.backends.postgresql import base


class Watchdog:
    """One thread per process that shuts the sockets of operations past their deadline."""

    POLL_SECONDS = 0.1

    def __init__(self):
        self._lock = threading.Lock()
        self._deadlines = {}
        self._thread = None

    @contextlib.contextmanager
    def deadline(self, connection, seconds):
        """Run the block; if it takes longer than `seconds`, shut the connection's socket."""
        fileno = None
        if seconds is not None and connection is not None:
            # A closed connection has no socket; psycopg fails whatever is tried on it.
            with contextlib.suppress(base.Database.Error):
                fileno = connection.fileno()
        if fileno is None:
            yield
            return
        key = object()
        with self._lock:
            self._start()
            self._deadlines[key] = (time.monotonic() + seconds, fileno)
        try:
            yield
        finally:
            with self._lock:
                self._deadlines.pop(key, None)

    def _start(self):
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._watch, name="db-watchdog", daemon=True)
            self._thread.start()

    def _watch(self):
        while True:
            time.sleep(self.POLL_SECONDS)
            now = time.monotonic()
            # Under the lock, so that the socket still belongs to the waiting operation.
            with self._lock:
                for key, (deadline, fileno) in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[key]
                        _shut(fileno)


def _shut(fileno):
    """Shut a socket down for reading and writing; its owner sees the connection closed."""
    with contextlib.suppress(OSError), socket.socket(fileno=os.dup(fileno)) as duplicate:
        duplicate.shutdown(socket.SHUT_RDWR)


watchdog = Watchdog()


class DatabaseWrapper(base.DatabaseWrapper):
    # When a connection attempt has just failed, further attempts within this many seconds
    # fail at once: one request, or many threads, do not each wait the connect timeout again.
    RECONNECT_PAUSE_SECONDS = 1.0
    # When the last attempt to connect failed, by database alias, for every thread.
    _connect_failed_at = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.health_check_timeout = self.settings_dict.get("HEALTH_CHECK_TIMEOUT")
        self.query_timeout = self.settings_dict.get("QUERY_TIMEOUT")
        self.execute_wrappers.append(self._execute_within_deadline)

    def get_new_connection(self, conn_params):
        failed_at = self._connect_failed_at.get(self.alias)
        if failed_at is not None and time.monotonic() - failed_at < self.RECONNECT_PAUSE_SECONDS:
            raise base.Database.OperationalError(
                "The database did not answer a moment ago; not trying again yet."
            )
        try:
            connection = super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            self._connect_failed_at[self.alias] = time.monotonic()
            raise
        self._connect_failed_at.pop(self.alias, None)
        return connection

    def _execute_within_deadline(self, execute, sql, params, many, context):
        with watchdog.deadline(self.connection, self.query_timeout):
            return execute(sql, params, many, context)

    def is_usable(self):
        with watchdog.deadline(self.connection, self.health_check_timeout):
            return super().is_usable()

    # commit() and rollback() are the public entry points (atomic blocks end through them), so
    # a frozen server cannot hold a request at COMMIT or ROLLBACK either.
    def commit(self):
        with watchdog.deadline(self.connection, self.query_timeout):
            super().commit()

    def rollback(self):
        with watchdog.deadline(self.connection, self.query_timeout):
            super().rollback()
