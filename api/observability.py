"""
Request ids and the access log: every log line written while a request is handled names it.

`RequestIdMiddleware` takes the caller's `X-Request-ID` when it is a sane token (a load
balancer or the frontend may have made one), or makes one, keeps it in a context variable
for `RequestIdFilter` to add to each log record, and echoes it in the response.
"""

import contextvars
import logging
import re
import time
import uuid

request_id_var = contextvars.ContextVar("request_id", default=None)
access_log = logging.getLogger("api.access")

# Letters, digits and a few separators: enough for UUIDs and tracing ids, nothing that could
# forge a log line or a header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
