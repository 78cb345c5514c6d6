from drf_spectacular import openapi
from drf_spectacular.plumbing import build_array_type, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from api.filtering import (
    FIELDS_PARAMETER,
    StrictFilterBackend,
    selectable_fields,
    supports_field_selection,
)
from api.problems import PROBLEM_CONTENT_TYPE
from api.serializers import ProblemSerializer, ValidationProblemSerializer

# What api/conditional.py adds to every answer of a view that serves public content.
VALIDATOR_HEADERS = [
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description='Weak validator, e.g. `W/"42-9f2c..."`; send it back as `If-None-Match`. '
        'An entry read by an editor carries instead its version, e.g. `"v7"`: send it back '
        "as `If-Match` when changing the entry.",
    ),
    OpenApiParameter(
        "Last-Modified",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="When the published content last changed (HTTP date); send it back as "
        "`If-Modified-Since`.",
    ),
    OpenApiParameter(
        "Cache-Control",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="`public, max-age=…, stale-while-revalidate=…` for anonymous requests; "
        "`private, no-store` for requests with credentials.",
    ),
    OpenApiParameter(
        "Cache-Tag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200],
        description="Comma-separated names of what the answer shows, for a CDN's purge by "
        "tag, e.g. `article:ketamine-and-nmda,condition:depression`; webhook payloads name "
        "the same tags in `cache_tags`.",
    ),
    OpenApiParameter(
        "Surrogate-Key",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200],
        description="The names of `Cache-Tag`, space-separated (Fastly's header).",
    ),
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The `ETag` of the copy you hold: 304 if it is still current.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="The `Last-Modified` of the copy you hold: 304 if nothing changed since. "
        "Ignored when `If-None-Match` is sent.",
    ),
]

# Optimistic concurrency of editors' writes (editorial/views.py).
ENTRY_VERSION_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description='The entry\'s version as it now is, e.g. `"v8"`: send it as `If-Match` with '
    "the next change.",
)
IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description='The `ETag` of the entry as you read it, e.g. `"v7"`: the write is made only '
    "if nobody saved the entry since, otherwise it is a 412 and nothing changes. Without "
    "it the write applies to the entry as it is when the write commits.",
)

# What api/throttling.py adds to every answer of a rate-limited view.
RATE_LIMIT_HEADERS = [
    OpenApiParameter(
        "RateLimit",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=True,
        description="The budget left (draft-ietf-httpapi-ratelimit-headers), e.g. "
        '`"anon";r=117;t=42`: 117 requests left, the window resets in 42 seconds.',
    ),
    OpenApiParameter(
        "RateLimit-Policy",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=True,
        description='The budget itself, e.g. `"anon";q=120;w=60`: 120 requests per 60 seconds.',
    ),
    OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=[429, 503],
        description="Seconds to wait before trying again.",
    ),
]
# What the request-id middleware adds to every answer.
REQUEST_ID_HEADER = OpenApiParameter(
    "X-Request-ID",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description="The request's id, as in the server's logs: the client's own if it sent a "
    "sane one, otherwise a new one.",
)


class AutoSchema(openapi.AutoSchema):
    """Describe, on every operation, the problem details and conditional answers it can give."""

    def _is_list_view(self, serializer=None):
        # A list action may answer one object (search suggestions): its serializer says so.
        if getattr(serializer, "answers_one_object", False):
            return False
        return super()._is_list_view(serializer)

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # `?fields=` may leave out any field of a list item: none of them is required.
        if (
            direction == "response"
            and getattr(self.view, "action", None) == "list"
            and supports_field_selection(self.view)
            and type(serializer) is self.view.get_serializer_class()
        ):
            schema.pop("required", None)
        return schema

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), REQUEST_ID_HEADER]
        if self._serves_public_content():
            parameters += VALIDATOR_HEADERS
        if self._writes_an_entry():
            parameters.append(ENTRY_VERSION_HEADER)
            if self.method != "POST":
                parameters.append(IF_MATCH_HEADER)
        if getattr(self.view, "rate_limited", True):
            parameters += RATE_LIMIT_HEADERS
        return parameters

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        if supports_field_selection(self.view) and any(
            issubclass(backend, StrictFilterBackend) for backend in self.get_filter_backends()
        ):
            parameters.append(self._fields_parameter())
        return parameters

    def _fields_parameter(self):
        names = selectable_fields(self.view)
        return build_parameter_type(
            name=FIELDS_PARAMETER,
            location="query",
            schema=build_array_type({**build_basic_type(OpenApiTypes.STR), "enum": names}),
            description="Only these fields of each item, comma-separated, e.g. "
            f"`{','.join(names[:2])}`; the others are left out. Default: every field.",
            explode=False,
            style="form",
        )

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for response in responses.values():
            response["description"] = response["description"] or "OK"
        if self._serves_public_content():
            responses["304"] = {
                **self._get_response_for_code(None, "304"),
                "description": "Not Modified: the copy named by If-None-Match or "
                "If-Modified-Since is current. No body.",
            }
        for status, response in self._problem_responses().items():
            responses.setdefault(
                str(status),
                self._get_response_for_code(
                    response, str(status), media_types=[PROBLEM_CONTENT_TYPE]
                ),
            )
        return dict(sorted(responses.items()))

    def _writes_an_entry(self):
        return self.method in {"POST", "PUT", "PATCH", "DELETE"} and bool(
            getattr(self.view, "write_serializer_class", None)
        )

    def _serves_public_content(self):
        return self.method == "GET" and getattr(self.view, "serves_public_content", False)

    def _problem_responses(self):
        problems = {
            405: OpenApiResponse(ProblemSerializer, description="The method is not allowed."),
            406: OpenApiResponse(
                ProblemSerializer, description="No acceptable representation (ask for JSON)."
            ),
        }
        detail = getattr(self.view, "detail", False)
        if detail or self._is_list_view():
            problems[400] = OpenApiResponse(
                ValidationProblemSerializer,
                description="A query parameter is unknown, or its value is malformed.",
            )
            problems[404] = OpenApiResponse(
                ProblemSerializer,
                description="No published item has this slug." if detail else "No such page.",
            )
        elif hasattr(self.view, "bad_request_description"):
            problems[400] = OpenApiResponse(
                getattr(self.view, "bad_request_serializer", ValidationProblemSerializer),
                description=self.view.bad_request_description,
            )
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            if self.method != "DELETE":
                problems[400] = OpenApiResponse(
                    ValidationProblemSerializer,
                    description="The body is invalid; each bad field is named by a JSON Pointer.",
                )
            # Anonymous writes (the contact form) take no credentials, so refuse none.
            if self.view.authentication_classes:
                problems[401] = OpenApiResponse(
                    ProblemSerializer, description="No credentials, or a revoked or unknown token."
                )
                problems[403] = OpenApiResponse(
                    ProblemSerializer, description="Signed in, but without the model permission."
                )
            if detail:
                problems[404] = OpenApiResponse(
                    ProblemSerializer, description="No entry you may see has this slug."
                )
            if detail and self._writes_an_entry():
                problems[412] = OpenApiResponse(
                    ProblemSerializer,
                    description="`If-Match` does not name the entry's current version: "
                    "someone saved it since you read it. Nothing was changed.",
                )
        if getattr(self.view, "rate_limited", True):
            problems[429] = OpenApiResponse(
                ProblemSerializer,
                description="The client's request budget is used up; try again after "
                "`Retry-After` seconds. Every answer carries `RateLimit` and `RateLimit-Policy`.",
            )
            problems[503] = OpenApiResponse(
                ProblemSerializer,
                description="The database is briefly unavailable; try again after "
                "`Retry-After` seconds.",
            )
        problems.update(getattr(self.view, "problem_responses", {}))
        return dict(sorted(problems.items()))
