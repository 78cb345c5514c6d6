"""
The headers and problem responses the API documents once, as OpenAPI components.

Operations reference them by name (`$ref`), so openapi.yaml states each once. To document one
more, add it here; then a view says which of its answers carry it:

- a problem response: `Problems({412: "PreconditionFailed"})` among the view's policies in
  api/urls.py VIEW_POLICIES (status to the name of an entry of PROBLEMS; see api.policies);
- a response header: `response_header("ETag", 200)` among an operation's `parameters`.

The problems any request may meet (DEFAULT_PROBLEMS: 406, 413, 429, 503) are not listed per
operation: each operation's `default` answer, `OtherProblem`, states them once.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from api.serializers import (
    BodyProblemSerializer,
    ProblemSerializer,
    ReadinessProblemSerializer,
    ValidationProblemSerializer,
    WorkerReadinessProblemSerializer,
)
from apibase.languages import FALLBACK_PARAMETER, LANGUAGE_PARAMETER, LANGUAGES

# Response headers: name -> (type, description).
HEADERS = {
    "X-Request-ID": (
        OpenApiTypes.STR,
        "The request's id, as in the server's logs: the client's own if it sent a sane one, "
        "otherwise a new one.",
    ),
    "ETag": (
        OpenApiTypes.STR,
        'Weak validator, e.g. `W/"42-9f2c..."`; send it back as `If-None-Match`. An entry '
        'read or written by an editor carries its version instead, e.g. `"v7"`: send it back '
        "as `If-Match` with the next change.",
    ),
    "Cache-Tag": (
        OpenApiTypes.STR,
        "Comma-separated names of what the answer shows, for a CDN's purge by tag, e.g. "
        "`article:ketamine-and-nmda,condition:depression`; webhook payloads name the same tags "
        "in `cache_tags`.",
    ),
    "Surrogate-Key": (OpenApiTypes.STR, "The names of `Cache-Tag`, space-separated."),
    "Last-Modified": (
        OpenApiTypes.STR,
        "When the published content last changed (HTTP date); send it back as `If-Modified-Since`.",
    ),
    "Cache-Control": (
        OpenApiTypes.STR,
        "`public, max-age=…, stale-while-revalidate=…` for anonymous requests; "
        "`private, no-store` for requests with credentials.",
    ),
    "RateLimit": (
        OpenApiTypes.STR,
        "The budget left (draft-ietf-httpapi-ratelimit-headers), e.g. "
        '`"anon";r=117;t=42`: 117 requests left, the window resets in 42 seconds. Not sent by '
        "the probes.",
    ),
    "RateLimit-Policy": (
        OpenApiTypes.STR,
        'The budget itself, e.g. `"anon";q=120;w=60`: 120 requests per 60 seconds. Not sent '
        "by the probes.",
    ),
    "Retry-After": (OpenApiTypes.INT, "Seconds to wait before trying again."),
    "Location": (OpenApiTypes.URI, "The absolute address to go to."),
    "Content-Language": (
        OpenApiTypes.STR,
        "The language of the answer's text: `en` or `es`. A list mixing Spanish items with "
        "English ones that fell back names both, the one asked for first, e.g. `es, en`. "
        "Answers vary on Accept-Language (`Vary`).",
    ),
}

# Request headers of conditional requests: component name -> (header, description).
REQUEST_HEADERS = {
    "IfNoneMatch": (
        "If-None-Match",
        "The `ETag` of the copy you hold: 304 if it is still current.",
    ),
    "IfModifiedSince": (
        "If-Modified-Since",
        "The `Last-Modified` of the copy you hold: 304 if nothing changed since. Ignored when "
        "`If-None-Match` is sent.",
    ),
    "IfMatch": (
        "If-Match",
        'The `ETag` of the entry as you read it, e.g. `"v7"`: the write is made only if nobody '
        "saved the entry since, otherwise it is a 412 and nothing changes. Without it the "
        "write applies to the entry as it is when the write commits.",
    ),
}

# Those a public read takes (If-Match is an editor's write's).
CONDITIONAL_GET_HEADERS = ("IfNoneMatch", "IfModifiedSince")

# Headers every problem response may carry; 429 and 503 (and the default) add Retry-After.
PROBLEM_HEADERS = ("X-Request-ID", "RateLimit", "RateLimit-Policy")

# Problem responses: name -> (status, body serializer, description).
PROBLEMS = {
    "InvalidQuery": (
        400,
        ValidationProblemSerializer,
        "A query parameter is unknown, or its value is malformed; `errors` names each.",
    ),
    "InvalidBody": (
        400,
        BodyProblemSerializer,
        "The body is not JSON, or is invalid: then `errors` names each bad field by a JSON "
        "Pointer.",
    ),
    "SyncRestart": (
        409,
        ProblemSerializer,
        "The cursor cannot be continued (`code` `sync_restart`): malformed, of another scope, "
        "or older than the change log kept. Drop the local copy and start over without one.",
    ),
    "Unauthorized": (401, ProblemSerializer, "No credentials, or a revoked or unknown token."),
    "Forbidden": (403, ProblemSerializer, "Signed in, but without the model permission."),
    "NotFound": (
        404,
        ProblemSerializer,
        "Nothing you may see is at this address: no such item (or not published), no such page, "
        "or an invalid link.",
    ),
    "MethodNotAllowed": (
        405,
        ProblemSerializer,
        "The method is not allowed; `Allow` lists those that are.",
    ),
    "NotAcceptable": (406, ProblemSerializer, "No acceptable representation (ask for JSON)."),
    "Conflict": (
        409,
        ValidationProblemSerializer,
        "The body is valid, but not with what is stored: a slug or name already taken, a tag "
        "that does not exist, or a status move the entry's state does not allow. `errors` "
        "names each field.",
    ),
    "ImageInUse": (
        409,
        ProblemSerializer,
        "The image is shown by entries (as a hero image or in Markdown); `detail` names each. "
        "Nothing was deleted.",
    ),
    "Gone": (410, ProblemSerializer, "The link has expired."),
    "PreconditionFailed": (
        412,
        ProblemSerializer,
        "`If-Match` does not name the entry's current version: someone saved it since you "
        "read it. Nothing was changed.",
    ),
    "PayloadTooLarge": (413, ProblemSerializer, "The request body is too large."),
    "UnsupportedMediaType": (415, ProblemSerializer, "The body is not JSON."),
    "TooManyRequests": (
        429,
        ProblemSerializer,
        "The client's request budget is used up; try again after `Retry-After` seconds.",
    ),
    "ServiceUnavailable": (
        503,
        ProblemSerializer,
        "The database is briefly unavailable; try again after `Retry-After` seconds.",
    ),
    "NotReady": (
        503,
        ReadinessProblemSerializer,
        "The database or the cache does not answer; `checks` says which.",
    ),
    "WorkerNotReady": (
        503,
        WorkerReadinessProblemSerializer,
        "The broker does not answer, or the outbox is not being relayed; `checks` says which.",
    ),
    # Each operation's `default` answer: any of DEFAULT_PROBLEMS.
    "OtherProblem": (
        "default",
        ProblemSerializer,
        "Another error, as a problem details document whose `status` says which: 406, no "
        "acceptable representation (ask for JSON); 413, a request body over the size limit; "
        "429, the client's request budget used up (the probes have none); 503, the database "
        "briefly unavailable. After a 429 or a 503, try again after `Retry-After` seconds.",
    ),
}


# Problems any operation may give for reasons of the request's transport or the server's state,
# not of what the operation does: stated once, as each operation's `default` answer (a problem
# details document, like every error of the API's own), so operations list only the statuses
# of their own rules (400, 401, 403, 404, 409, 412, ...). Gunicorn's 414 is not one of them:
# it is an HTML page, so it stays listed where it can happen. Status -> PROBLEMS entry.
DEFAULT_PROBLEMS = {
    406: "NotAcceptable",
    413: "PayloadTooLarge",
    429: "TooManyRequests",
    503: "ServiceUnavailable",
}
# Gunicorn's own answer to a request line longer than its limit (`--limit-request-line`, 8,190
# bytes at most): an HTML page made before the request reaches the API.
URI_TOO_LONG = {
    "description": "The request line (the path and query, percent-encoded) is longer than "
    "8,190 bytes. The web server answers before the API sees the request: an HTML page, "
    "not a problem. Shorten the query, e.g. fewer slugs at a time.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def response_header(name, *statuses):
    """Declare that answers with these statuses (all, if none given) carry header `name`."""
    kind, description = HEADERS[name]
    return OpenApiParameter(
        name,
        kind,
        OpenApiParameter.HEADER,
        response=list(statuses) if statuses else True,
        description=description,
    )


def language_parameters():
    """The query and header parameters that choose the language of translated content."""
    return [
        OpenApiParameter(
            LANGUAGE_PARAMETER,
            OpenApiTypes.STR,
            OpenApiParameter.QUERY,
            enum=list(LANGUAGES),
            description="The language to answer in; wins over Accept-Language. Default: "
            "English. An item without a published translation in it is answered in English, "
            "with `is_fallback` true, unless `fallback=false`.",
        ),
        OpenApiParameter(
            FALLBACK_PARAMETER,
            OpenApiTypes.BOOL,
            OpenApiParameter.QUERY,
            description="`false`: leave out of lists the items missing in the language asked "
            "for, and answer 404 for such a detail, instead of answering them in English. "
            "Default: true.",
        ),
        OpenApiParameter(
            "Accept-Language",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            description="Used without `lang`: the language it prefers among en and es "
            "(`es-MX` is `es`); English if neither.",
        ),
    ]


def header_component(name):
    kind, description = HEADERS[name]
    return {
        "schema": {"type": "integer" if kind is OpenApiTypes.INT else "string"},
        "description": description,
    }


def request_header_component(name):
    header, description = REQUEST_HEADERS[name]
    return {
        "in": "header",
        "name": header,
        "schema": {"type": "string"},
        "description": description,
    }
