"""
Every error the API returns is an RFC 9457 problem details document.

DRF exceptions go through `exception_handler`; the error views at the bottom cover what
Django answers before DRF is reached (unknown URLs, disallowed hosts, crashes).
"""

import logging
import sys
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Errors that mean the database cannot be reached (down, restarting, out of connections, or a
# query cut off by the statement timeout): the client may try again shortly.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
# Codes of invalid input that is invalid only because of what is stored (a slug taken, a tag
# that does not exist, a workflow move the entry's state does not allow): 409 Conflict, the
# same request may succeed another time. Any other invalid input is a 400.
CONFLICT_CODES = {"unique", "does_not_exist", "invalid_move"}

logger = logging.getLogger(__name__)


class ServiceUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = "The service is briefly unavailable. Try again in a few seconds."
    default_code = "service_unavailable"
    wait = RETRY_AFTER_SECONDS


class InvalidQueryParameters(exceptions.ValidationError):
    """A validation error about the query string, reported by parameter name."""

    default_detail = "One or more query parameters are invalid."


class SyncRestartRequired(exceptions.APIException):
    """The sync cursor cannot be continued: the app must start a new sync without one."""

    status_code = 409
    default_detail = "The cursor cannot be continued."
    default_code = "sync_restart"
    problem_type = "urn:ketamine-content-api:problem:sync-restart"

    def __init__(self, detail=None):
        super().__init__(f"{detail or self.default_detail} Start a new sync without a cursor.")


def problem(status, detail, instance=None, **extra):
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def _flatten(detail, location, prefix=""):
    """Turn DRF's nested error detail into a flat list of {detail, parameter|pointer}."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            # A serializer's errors on the whole object are the body's (or the item's) own.
            path = prefix if key == api_settings.NON_FIELD_ERRORS_KEY else f"{prefix}/{key}"
            yield from _flatten(value, location, path)
    elif isinstance(detail, list) and detail and not isinstance(detail[0], str):
        for index, value in enumerate(detail):
            yield from _flatten(value, location, f"{prefix}/{index}")
    else:
        for message in detail if isinstance(detail, list) else [detail]:
            if location == "parameter":
                yield {"detail": str(message), "parameter": prefix.lstrip("/")}
            else:
                yield {"detail": str(message), "pointer": prefix or "/"}


def _codes(detail):
    if isinstance(detail, dict):
        detail = list(detail.values())
    if isinstance(detail, list):
        for value in detail:
            yield from _codes(value)
    else:
        yield getattr(detail, "code", None)


def _validation_summary(errors, location):
    names = sorted({error.get(location, "").lstrip("/").split("/")[0] for error in errors} - {""})
    noun = "query parameter" if location == "parameter" else "field"
    if not names:
        # An error on the whole body (not JSON, nested too deep) says itself what is wrong.
        return errors[0]["detail"] if len(errors) == 1 else "The request is invalid."
    plural = "s" if len(names) > 1 else ""
    return f"Invalid {noun}{plural}: {', '.join(names)}."


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.ParseError):
        # A body that is not JSON is invalid input like any other: one error, on the whole body.
        exc = exceptions.ValidationError([str(exc.detail)])
    elif isinstance(exc, DATABASE_UNAVAILABLE):
        logger.warning("Database unavailable: %s", exc)
        exc = ServiceUnavailable()
    if not isinstance(exc, exceptions.APIException):
        return None

    request = context.get("request")
    instance = request.get_full_path() if request is not None else None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.MethodNotAllowed) and context.get("view") is not None:
        headers["Allow"] = ", ".join(context["view"].allowed_methods)

    if isinstance(exc, exceptions.ValidationError):
        location = "parameter" if isinstance(exc, InvalidQueryParameters) else "pointer"
        errors = list(_flatten(exc.detail, location))
        codes = set(_codes(exc.detail))
        if location == "pointer" and codes and codes <= CONFLICT_CODES:
            exc.status_code = 409
        body = problem(
            exc.status_code, _validation_summary(errors, location), instance, errors=errors
        )
    else:
        body = problem(exc.status_code, str(exc.detail), instance)
    if getattr(exc, "problem_type", None):
        body.update(type=exc.problem_type, code=exc.default_code)
    return Response(
        body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )


def problem_response(request, status, detail, headers=None, **extra):
    """Return a problem details response made outside DRF (middleware, error views)."""
    return JsonResponse(
        problem(status, detail, request.get_full_path(), **extra),
        status=status,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def service_unavailable(request):
    return problem_response(
        request,
        503,
        ServiceUnavailable.default_detail,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
    )


def bad_request(request, exception=None):
    return problem_response(request, 400, "The request could not be understood.")


def permission_denied(request, exception=None):
    return problem_response(request, 403, "You do not have permission to see this.")


def page_not_found(request, exception=None):
    return problem_response(request, 404, "Nothing is published at this address.")


def csrf_failure(request, reason=""):
    return problem_response(
        request,
        403,
        "CSRF check failed: send the X-CSRFToken header with a session, or use a token.",
    )


@csrf_exempt
def unknown_api_path(request):
    """
    Answer an address under /api/ that nothing serves: a problem details 404, whatever DEBUG.

    An address that only lacks its trailing slash is redirected to it, as Django's
    APPEND_SLASH would have done had this catch-all not matched first.
    """
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(f"{request.path_info}/")
        except Resolver404:
            match = None
        if match is not None and match.func is not unknown_api_path:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return page_not_found(request)


def server_error(request):
    # Django calls this while handling the exception, wherever it was raised: in a view
    # outside DRF (the admin) or in a middleware (sessions, the answer cache's generation).
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    return problem_response(request, 500, "Something went wrong on our side.")
