"""The OpenAPI schema, generated from the views: drf-spectacular's AutoSchema and generator,
taught what this API does that they cannot see (policies, problem answers, conditional reads,
`?fields=`, shared components).

Through drf-spectacular's public seams: get_operation() and the other get_* methods of its
AutoSchema, a field extension and postprocessing hooks. The three steps of a serializer's
schema that have no public seam reach the hooks `field_schema()`, `validated_field_schema()`
and `serializer_schema()` through api/schema_internals.py, the one module that touches
drf-spectacular's private parts. The committed `openapi.yaml` is diff-tested
(tests/test_openapi_schema.py).
"""

import json
import re
from collections import Counter
from pathlib import Path

from django.core.validators import RegexValidator
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import (
    ResolvedComponent,
    build_array_type,
    build_basic_type,
    build_parameter_type,
)
from drf_spectacular.types import OpenApiTypes
from rest_framework import permissions, serializers
from rest_framework.relations import RelatedField

from api.filtering import (
    FIELDS_PARAMETER,
    StrictFilterBackend,
    selectable_fields,
    supports_field_selection,
)
from api.policies import policy_of
from api.schema_components import (
    CONDITIONAL_GET_HEADERS,
    DEFAULT_PROBLEMS,
    HEADERS,
    PROBLEM_HEADERS,
    PROBLEMS,
    URI_TOO_LONG,
    header_component,
    language_parameters,
    request_header_component,
    response_header,
)
from api.schema_internals import PrivateSchemaSteps, registered_components
from apibase.languages import LANGUAGE_PARAMETER
from apibase.permissions import ReadOnlyOrModelPermissions
from apibase.problems import PROBLEM_CONTENT_TYPE
from content.serializers import ContentTypeField, MarkdownSourceField
from entries.filters import (
    CLINICAL_CODE_MAX_LENGTH,
    CLINICAL_CODE_PATTERN,
    ClinicalCodeListFilter,
    SlugListFilter,
)
from entries.writable import HTTP_URL_PATTERN

# Operation ids of a collection's actions: the verb, then the model's name (plural for lists),
# e.g. listArticles, getArticle, createArticle, replaceArticle, updateArticle, deleteArticle.
ACTION_VERBS = {
    "list": "list",
    "retrieve": "get",
    "create": "create",
    "update": "replace",
    "partial_update": "update",
    "destroy": "delete",
}
# Permissions under which anybody may read: such reads are documented as needing no credentials.
ANONYMOUS_READS = (permissions.AllowAny, ReadOnlyOrModelPermissions)


def plural(name):
    return f"{name[:-1]}ies" if re.search(r"[^aeiou]y$", name) else f"{name}s"


# Words, slugs and dates: not blank, and without NUL characters, which Django's form fields
# refuse. Search words may hold any character (search ignores control characters).
TEXT_PATTERN = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
WORDS_PATTERN = r"\S"
# Text that may be blank, and a slug, as Django's validators take them.
ANY_TEXT_PATTERN = r"^[^\u0000]*$"
# Django's slug validator ends with \Z: no trailing newline, which a regex's $ would let in.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+(?!\n)$"


def refuse_empty_values(schema, name):
    """Say what the server does: an empty value, or an empty item of a list, is refused."""
    if name == "cursor":
        # Empty starts a sync (as no cursor does); blank, or holding a NUL, is refused.
        schema.pop("minLength", None)
        schema["pattern"] = f"^$|{TEXT_PATTERN}"
        return
    if schema.get("type") == "array":
        schema["minItems"] = 1
        schema = schema["items"]
    if schema.get("type") == "string" and "enum" not in schema:
        schema.setdefault("minLength", 1)
        # `condition` and `topic` take tag slugs wherever they are.
        default = {"q": WORDS_PATTERN, "condition": SLUG_PATTERN, "topic": SLUG_PATTERN}
        schema.setdefault("pattern", default.get(name, TEXT_PATTERN))


class AutoSchema(PrivateSchemaSteps, openapi.AutoSchema):
    """
    Describe each operation as a generated client needs it.

    Anonymous reads are allowed where they are; operation ids are named like SDK methods;
    headers, conditional request headers and problem responses are components referenced by
    `$ref` (see api/schema_components.py).
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        """Describe the operation as drf-spectacular does, then as the view's policies say."""
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        found = self._filter_parameters(operation.get("parameters", []))
        operation["responses"] = self._responses(operation["responses"], found)
        parameters = self._parameters(found)
        if not parameters:
            return operation
        # Where drf-spectacular puts them: before the tags, the body and the security.
        items = [(key, value) for key, value in operation.items() if key != "parameters"]
        at = next(
            index
            for index, (key, _) in enumerate(items)
            if key in {"tags", "requestBody", "security", "deprecated", "responses"}
        )
        return dict([*items[:at], ("parameters", parameters), *items[at:]])

    def get_operation_id(self):
        action = getattr(self.view, "action", None)
        serializer_class = getattr(self.view, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        if action in ACTION_VERBS and model is not None:
            # An acronym is one word to generators: listFaqs, list_faqs.
            name = model.__name__.title() if model.__name__.isupper() else model.__name__
            return ACTION_VERBS[action] + (plural(name) if action == "list" else name)
        return super().get_operation_id()

    def get_auth(self):
        auths = super().get_auth()
        reads_for_everyone = all(
            isinstance(permission, ANONYMOUS_READS) for permission in self.view.get_permissions()
        )
        if self.method in permissions.SAFE_METHODS and reads_for_everyone and {} not in auths:
            auths.append({})
        return auths

    def field_schema(self, field, direction, schema):
        """Return the schema of a field, as drf-spectacular mapped it, with what the server
        refuses in it."""
        # What Django's validators refuse in a body, said in the schema: NUL characters, blank
        # text where text is needed, slugs and URLs they would not take.
        if direction != "request" or schema.get("type") != "string" or "enum" in schema:
            return schema
        if isinstance(field, RelatedField | serializers.SlugField):
            schema["pattern"] = SLUG_PATTERN
        elif isinstance(field, serializers.URLField):
            schema["pattern"] = HTTP_URL_PATTERN
        elif any(isinstance(validator, RegexValidator) for validator in field.validators):
            pass  # drf-spectacular states the validator's own pattern
        elif isinstance(field, serializers.CharField) and "pattern" not in schema:
            schema["pattern"] = ANY_TEXT_PATTERN if field.allow_blank else TEXT_PATTERN
        return schema

    def validated_field_schema(self, schema):
        """Adjust a field's schema once drf-spectacular has added its validators' limits."""
        # drf-spectacular adds "or blank" (`oneOf` with `maxLength: 0`) to a blank-allowed
        # text with a pattern. When the pattern itself takes "", a blank would match both
        # branches, which `oneOf` forbids: the pattern alone says it.
        branches = schema.get("oneOf", [])
        if (
            len(branches) == 2
            and branches[1] == {"type": "string", "maxLength": 0}
            and branches[0].get("pattern") == ANY_TEXT_PATTERN
            and not branches[0].get("minLength")
            and "format" not in branches[0]
        ):
            schema.update(schema.pop("oneOf")[0])

    def serializer_schema(self, serializer, direction, schema):
        """Return the schema of a serializer's object, as drf-spectacular mapped it, with the
        fields an answer may leave out not required."""
        # Fields only some readers get are not required of an answer.
        optional = {
            name
            for name, field in serializer.fields.items()
            if isinstance(field, MarkdownSourceField)
        }
        if optional and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in optional]
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
        parameters = [*super().get_override_parameters(), response_header("X-Request-ID")]
        if self._serves_public_content():
            parameters += [
                response_header(name, 200, 304)
                for name in ("ETag", "Last-Modified", "Cache-Control")
            ]
            parameters += [response_header(name, 200) for name in ("Cache-Tag", "Surrogate-Key")]
        elif self._reads_a_versioned_record():
            # An editor's read names the version to send back as If-Match.
            parameters.append(response_header("ETag", 200))
        if self._writes_an_entry():
            # Optimistic concurrency of editors' writes (entries/views.py).
            parameters.append(response_header("ETag", 200, 201))
        if policy_of(self.view).rate_limit.counted:
            parameters += [response_header(name) for name in ("RateLimit", "RateLimit-Policy")]
        if self._negotiates_language():
            parameters += [*language_parameters(), response_header("Content-Language", 200)]
        return parameters

    def _parameters(self, parameters):
        """What the server does with the request line: empty values refused, the shared
        components, conditional and If-Match headers."""
        for parameter in parameters:
            if parameter["in"] == "query":
                refuse_empty_values(parameter["schema"], parameter["name"])
        parameters = [
            self._component_ref("parameters", "Slug")
            if parameter["in"] == "path" and parameter["name"] == "slug"
            else self._shared_parameter(parameter)
            for parameter in parameters
        ]
        if self._serves_public_content():
            parameters += [
                self._component_ref("parameters", name) for name in CONDITIONAL_GET_HEADERS
            ]
        if self._writes_an_entry() and self.method != "POST":
            parameters.append(self._component_ref("parameters", "IfMatch"))
        return parameters

    def _filter_parameters(self, parameters):
        """Say what the filters check that drf-spectacular leaves out, and add `?fields=`."""
        backends = self.get_filter_backends()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class and backends else {}
        for parameter in parameters:
            filter_ = filters.get(parameter["name"]) if parameter["in"] == "query" else None
            if filter_ is None:
                continue
            extra = getattr(filter_, "extra", {})
            schema = parameter["schema"]
            if isinstance(filter_, SlugListFilter):
                schema["items"]["pattern"] = SLUG_PATTERN
            elif isinstance(filter_, ClinicalCodeListFilter):
                schema["items"].update(
                    pattern=CLINICAL_CODE_PATTERN, maxLength=CLINICAL_CODE_MAX_LENGTH
                )
            # Bounds and choices the filters check, which drf-spectacular leaves out.
            for bound, keyword in (("min_value", "minimum"), ("max_value", "maximum")):
                if bound in extra:
                    schema[keyword] = extra[bound]
            if "choices" in extra and schema.get("type") == "array":
                choices = extra["choices"]() if callable(extra["choices"]) else extra["choices"]
                schema["items"]["enum"] = [str(value) for value, _label in choices]
        if supports_field_selection(self.view) and any(
            issubclass(backend, StrictFilterBackend) for backend in backends
        ):
            # In its place by name, as drf-spectacular sorts the others.
            parameters = sorted([*parameters, self._fields_parameter()], key=lambda p: p["name"])
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

    def _responses(self, responses, parameters):
        """The answers drf-spectacular found, with the shared headers, the 304, the 301 and the
        problems each operation may answer."""
        for response in responses.values():
            response["description"] = response["description"] or "OK"
            if "headers" in response:
                response["headers"] = {
                    name: self._component_ref("headers", name) if name in HEADERS else header
                    for name, header in response["headers"].items()
                }
        if self._serves_public_content():
            responses["304"] = self._component_ref("responses", "NotModified")
        if (
            self.method == "GET"
            and getattr(self.view, "detail", False)
            and policy_of(self.view).redirects_renamed
        ):
            responses["301"] = self._component_ref("responses", "MovedPermanently")
        others = False
        for status, name in self._problem_responses(parameters).items():
            if DEFAULT_PROBLEMS.get(status) == name:
                others = True
            else:
                responses.setdefault(str(status), self._component_ref("responses", name))
        responses = dict(sorted(responses.items()))
        if others:
            responses["default"] = self._component_ref("responses", "OtherProblem")
        return responses

    def _shared_parameter(self, parameter):
        """Reference a query or header parameter defined alike elsewhere (page, Accept-Language
        ...) as one component."""
        if parameter.get("in") not in {"query", "header"}:
            return parameter
        name = "".join(part.title() for part in re.split("[-_]", parameter["name"])) + "Parameter"
        component = ResolvedComponent(name=name, type="parameters", object=name, schema=parameter)
        if component not in self.registry:
            self.registry.register(component)
        elif self.registry[component].schema != parameter:
            return parameter
        return component.ref

    def _component_ref(self, kind, name):
        """Reference component `name`, adding it to the schema the first time."""
        component = ResolvedComponent(name=name, type=kind, object=name)
        if component not in self.registry:
            if kind == "headers":
                component.schema = header_component(name)
            elif name == "Slug":
                component.schema = {
                    "in": "path",
                    "name": "slug",
                    "required": True,
                    "schema": {"type": "string", "pattern": r"^[-\w]+$"},
                    "description": "The item's slug, as lists give it.",
                }
            elif kind == "parameters":
                component.schema = request_header_component(name)
            elif name == "NotModified":
                component.schema = self._not_modified_component()
            elif name == "MovedPermanently":
                component.schema = {
                    "description": "Moved Permanently: the entry was renamed; `Location` is its "
                    "address now (see also /api/v1/redirects/). No body.",
                    "headers": {"Location": self._component_ref("headers", "Location")},
                }
            elif name == "URITooLong":
                component.schema = URI_TOO_LONG
            else:
                component.schema = self._problem_component(name)
            self.registry.register(component)
        return component.ref

    def _not_modified_component(self):
        headers = ("X-Request-ID", "ETag", "Last-Modified", "Cache-Control", *PROBLEM_HEADERS[1:])
        return {
            "description": "Not Modified: the copy named by If-None-Match or If-Modified-Since "
            "is current. No body.",
            "headers": {header: self._component_ref("headers", header) for header in headers},
        }

    def _problem_component(self, name):
        status, serializer, description = PROBLEMS[name]
        headers = [*PROBLEM_HEADERS, *(["Retry-After"] if status in {429, 503, "default"} else [])]
        return {
            "description": description,
            "headers": {header: self._component_ref("headers", header) for header in headers},
            "content": {
                PROBLEM_CONTENT_TYPE: {
                    "schema": self.resolve_serializer(serializer, "response").ref
                }
            },
        }

    def _takes_parameters(self, parameters):
        """Whether the request line holds values of the client's: a path or query parameter."""
        return "{" in self.path or any(
            parameter.get("in") == "query" or "$ref" in parameter for parameter in parameters
        )

    def _writes_an_entry(self):
        return (
            self.method in {"POST", "PUT", "PATCH", "DELETE"}
            and policy_of(self.view).writes_entries
        )

    def _reads_a_versioned_record(self):
        detail = getattr(self.view, "detail", False)
        return self.method == "GET" and detail and policy_of(self.view).writes_entries

    def _negotiates_language(self):
        """Whether the operation reads translated content (content/views.py)."""
        return self.method == "GET" and LANGUAGE_PARAMETER in getattr(
            self.view, "query_parameters", ()
        )

    def _serves_public_content(self):
        return self.method == "GET" and policy_of(self.view).public_content

    def _problem_responses(self, parameters):
        """Status -> name of the problem response (api/schema_components.PROBLEMS) it is."""
        # 405 is the answer to the methods a path does not list, so no operation documents it.
        problems = {406: "NotAcceptable"}
        detail = getattr(self.view, "detail", False)
        if detail or getattr(self.view, "action", None) == "list":
            problems[400] = "InvalidQuery"
            problems[404] = "NotFound"
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            if self.method != "DELETE":
                problems[400] = "InvalidBody"
                problems[409] = "Conflict"
                problems[413] = "PayloadTooLarge"
            # Anonymous writes (the contact form) take no credentials, so refuse none.
            if self.view.authentication_classes:
                problems[401] = "Unauthorized"
                problems[403] = "Forbidden"
            if detail:
                problems[404] = "NotFound"
            if detail and self._writes_an_entry():
                problems[412] = "PreconditionFailed"
        if self._takes_parameters(parameters):
            problems[414] = "URITooLong"
        if policy_of(self.view).rate_limit.counted:
            problems[429] = "TooManyRequests"
            problems[503] = "ServiceUnavailable"
        problems.update(policy_of(self.view).problem_responses(getattr(self.view, "action", None)))
        return dict(sorted(problems.items()))


class ContentTypeFieldExtension(OpenApiSerializerFieldExtension):
    """
    Document an item's `type` as the one value its serializer's model gives it, a schema of
    its own named after the type (`ArticleTypeEnum`; spelt as the model is where the two are
    one word, `FAQTypeEnum`): a new content type needs no ENUM_NAME_OVERRIDES entry.
    """

    target_class = ContentTypeField

    def map_serializer_field(self, auto_schema, direction):
        model = self.target.parent.Meta.model
        kind = model.reference_type
        name = model.__name__ if model.__name__.lower() == kind else kind.title()
        component = ResolvedComponent(
            name=f"{name}TypeEnum",
            type=ResolvedComponent.SCHEMA,
            object=kind,
            schema={"type": "string", "enum": [kind]},
        )
        auto_schema.registry.register_on_missing(component)
        return {"allOf": [component.ref], "description": "The content type."}


EXAMPLES_FILE = Path(__file__).resolve().parent / "schema_examples.json"
# Operations whose answer is the same representation as another operation's.
SAME_ANSWER = {"create": "get", "replace": "get", "update": "get"}


def attach_examples(result, generator, request, public):
    """
    Give each operation's answer an example recorded from the demo content, and each write
    the demo entry of its answer as written, named `demo` (the document's description says
    where they come from, once).

    The examples live in api/schema_examples.json (`make schema-examples` records them);
    each is a component, referenced by the operations that answer with it.
    """
    examples = json.loads(EXAMPLES_FILE.read_text())
    components = result.setdefault("components", {}).setdefault("examples", {})
    for item in result["paths"].values():
        for operation in item.values():
            name = _example_for(operation["operationId"], examples)
            if name is None:
                continue
            status = next(code for code in operation["responses"] if code.startswith("2"))
            content = operation["responses"][status].get("content", {}).get("application/json")
            if content is None:
                continue
            components[name] = {"value": examples[name]}
            content["examples"] = {"demo": {"$ref": f"#/components/examples/{name}"}}
    for item in result["paths"].values():
        for operation in item.values():
            verb, noun = re.fullmatch(r"([a-z]+)(.*)", operation["operationId"]).groups()
            bodies = operation.get("requestBody", {}).get("content", {})
            name = f"write{noun}"
            if verb not in SAME_ANSWER or not bodies or name not in examples:
                continue
            components[name] = {"value": examples[name]}
            for body in bodies.values():
                body["examples"] = {"demo": {"$ref": f"#/components/examples/{name}"}}
    _drop_read_only_marks(result["components"]["schemas"])
    _close_write_schemas(result["components"]["schemas"])
    _drop_ordering_choice_lists(result["paths"])
    result["components"] = {
        kind: dict(sorted(entries.items()))
        for kind, entries in sorted(result["components"].items())
    }
    return result


def _drop_read_only_marks(schemas):
    """Drop `readOnly` from answer schemas: requests have their own (`...Request`) schemas."""
    for name, schema in schemas.items():
        if name.endswith("Request"):
            continue
        for name, field in schema.get("properties", {}).items():
            field.pop("readOnly", None)
            # The allOf drf-spectacular wraps a reference in only to mark it read-only.
            if list(field) == ["allOf"] and len(field["allOf"]) == 1:
                schema["properties"][name] = field["allOf"][0]


def _close_write_schemas(schemas):
    """
    Say that writes refuse fields they do not know (EntryWriteSerializer does), and state each
    write body once: the full one is the partial one (PATCH) with its required fields.
    """
    for name in [name for name in schemas if name.startswith("Patched")]:
        partial, full = schemas[name], schemas.get(name.removeprefix("Patched"))
        partial["additionalProperties"] = False
        if full is None or full["properties"] != partial["properties"]:
            continue
        schemas[name.removeprefix("Patched")] = {
            "allOf": [{"$ref": f"#/components/schemas/{name}"}],
            "required": full.get("required", []),
            "description": f"{full.get('description', '')} All `required` fields must be given.",
        }


def _drop_ordering_choice_lists(paths):
    """Keep `ordering`'s description to its first line: its choices are the enum's values."""
    for item in paths.values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "ordering":
                    parameter["description"] = parameter["description"].split("\n")[0]


# Operations that answer what another does: a preview is an entry's detail (an article's here).
SAME_EXAMPLE = {"previewEntry": "getArticle"}


def _example_for(operation_id, examples):
    operation_id = SAME_EXAMPLE.get(operation_id, operation_id)
    if operation_id in examples:
        return operation_id
    verb, noun = re.fullmatch(r"([a-z]+)(.*)", operation_id).groups()
    if verb in SAME_ANSWER and f"{SAME_ANSWER[verb]}{noun}" in examples:
        return f"{SAME_ANSWER[verb]}{noun}"
    return None


def share_repeated_parts(result, generator, request, public):
    """
    State once what many operations share: the usual security as the document's default,
    and each answer given alike by several operations as a response component.

    Runs last, so endpoints added later get the same treatment without naming them here.
    """
    operations = [operation for item in result["paths"].values() for operation in item.values()]
    _share_security(result, operations)
    _share_responses(result, operations)
    _extend_parent_schemas(result["components"]["schemas"], generator.registry)
    _share_page_schema(result["components"]["schemas"])
    _drop_needless_choice_lists(result)
    return result


CHOICE_LINE = re.compile(r"^\* `(?P<value>[^`]*)` - (?P<label>.*)$")


def _plain(text):
    return re.sub(r"[\s_-]+", " ", text.removesuffix(" (descending)")).strip(" -").lower()


def _drop_needless_choice_lists(result):
    """
    Drop a choice list (`* `value` - label`, which drf-spectacular adds to a description) that
    says nothing the `enum` does not: each label only repeats its value (`ok` - ok, `title` -
    Title), or the property refers to an enum component that states the same list.
    """
    schemas = result["components"]["schemas"]

    def enum_list(schema):
        refs = [schema, *schema.get("allOf", []), schema.get("items", {})]
        for ref in (part.get("$ref", "") for part in refs):
            target = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
            if "enum" in target:
                return _choice_lines(target.get("description", ""))
        return None

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        description = node.get("description")
        if isinstance(description, str) and "* `" in description:
            lines = _choice_lines(description)
            trivial = lines and all(
                _plain(match["value"]) == _plain(match["label"])
                for match in map(CHOICE_LINE.match, lines)
            )
            if trivial or (lines and lines == enum_list(node.get("schema", node))):
                text = "\n".join(
                    line for line in description.split("\n") if line not in lines
                ).strip()
                if text:
                    node["description"] = text
                else:
                    del node["description"]
        for value in node.values():
            walk(value)

    walk(result)


def _choice_lines(description):
    return [line for line in description.split("\n") if CHOICE_LINE.match(line)]


def _share_security(result, operations):
    """Make the commonest security requirement the default, stated by operations that differ."""
    counts = Counter(json.dumps(op["security"]) for op in operations if "security" in op)
    if not counts:
        return
    default = json.loads(counts.most_common(1)[0][0])
    result["security"] = default
    for operation in operations:
        # An operation without `security` would inherit the default: say "none" outright.
        security = operation.pop("security", [])
        if security != default:
            operation["security"] = security


def _share_responses(result, operations):
    """Reference an answer that several operations give alike as one response component."""
    responses = result["components"].setdefault("responses", {})
    uses = Counter(
        json.dumps(response, sort_keys=True)
        for operation in operations
        for response in operation["responses"].values()
        if "$ref" not in response
    )
    names = {}
    for key, count in uses.items():
        if count < 2:
            continue
        response = json.loads(key)
        names[key] = name = _response_name(response, responses)
        responses[name] = response
    for operation in operations:
        for status, response in operation["responses"].items():
            name = names.get(json.dumps(response, sort_keys=True))
            if name is not None:
                operation["responses"][status] = {"$ref": f"#/components/responses/{name}"}
    result["components"]["responses"] = dict(sorted(responses.items()))


def _response_name(response, taken):
    """Name a shared answer after its body's schema (`ArticleDetail`), else its description."""
    schemas = [
        media["schema"].get("$ref", "").rsplit("/", 1)[-1]
        for media in response.get("content", {}).values()
    ]
    words = re.findall(r"[A-Za-z0-9]+", response.get("description", ""))
    base = schemas[0] if schemas and schemas[0] else "".join(w.title() for w in words[:3])
    name, number = f"{base}Answer", 2
    while name in taken:
        name, number = f"{base}Answer{number}", number + 1
    return name


def _extend_parent_schemas(schemas, registry):
    """
    State a serializer that adds fields to its parent's (a detail to its list item, a problem
    with `errors` to the problem) as the parent's schema `allOf` the added fields.
    """
    serializers_by_class = {}
    for component in registered_components(registry):
        if component.type == "schemas" and component.name in schemas:
            kind = "request" if component.name.endswith("Request") else "response"
            # The first name given (`Article`), not its page's (`PaginatedArticleList`).
            serializers_by_class.setdefault((type(component.object), kind), component.name)
    for (cls, kind), name in serializers_by_class.items():
        parent = next(
            (
                serializers_by_class[base, kind]
                for base in cls.__mro__[1:]
                if (base, kind) in serializers_by_class
            ),
            None,
        )
        if parent is None:
            continue
        child, inherited = schemas[name], schemas[parent].get("properties")
        if not inherited or "properties" not in child:
            continue
        if any(child["properties"].get(field) != value for field, value in inherited.items()):
            continue  # the child says something else of an inherited field
        added = {
            field: value for field, value in child["properties"].items() if field not in inherited
        }
        schemas[name] = {
            "allOf": [
                {"$ref": f"#/components/schemas/{parent}"},
                {"type": "object", "properties": added},
            ],
            # Beside `allOf`, as generators (openapi-typescript) read it of inherited fields too.
            **{key: child[key] for key in ("required", "description") if key in child},
        }


PAGE_SCHEMA = {
    "type": "object",
    "description": "One page of a list: `results`, and the links to the pages around it.",
    "properties": {
        "count": {"type": "integer", "description": "How many items the whole list has."},
        "next": {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": "The next page's address; null on the last page.",
        },
        "previous": {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": "The previous page's address; null on the first page.",
        },
    },
    "required": ["count"],
}


def _share_page_schema(schemas):
    """State a page's `count`, `next` and `previous` once: each list's page adds `results`."""
    pages = [
        name
        for name, schema in schemas.items()
        if re.fullmatch(r"Paginated\w+List", name)
        and set(schema.get("properties", {})) == {"count", "next", "previous", "results"}
    ]
    if not pages:
        return
    schemas["Page"] = PAGE_SCHEMA
    # In the name order every other component keeps.
    ordered = dict(sorted(schemas.items()))
    schemas.clear()
    schemas.update(ordered)
    for name in pages:
        results = schemas[name]["properties"]["results"]
        schemas[name] = {
            "allOf": [
                {"$ref": "#/components/schemas/Page"},
                {"type": "object", "properties": {"results": results}},
            ],
            "required": ["count", "results"],
        }
