"""
The policies an API view is served under: explicit objects, attached in one place and read here.

Every view's policies are attached in api/urls.py, beside the routes, in one table
(`VIEW_POLICIES`); a subclass inherits its base's and may add to them:

    (SearchViewSet, [PublicContent(), RateLimit(scope="search")]),
    (ReadinessView, [NOT_RATE_LIMITED, Problems({503: "NotReady"})]),

What reads them, through `policy_of()` and nothing else:

- `PublicContent`: an anonymous GET answers the same to everyone. api.public_answers answers
  it early from the answer cache, api.conditional adds validators, 304s and the server-side
  cache, and api.schema documents the conditional headers and the 304.
- `RateLimit`: the client's budgets, counted by api.throttling before the view (every API
  view is counted unless it says `NOT_RATE_LIMITED`); `scope` names a further, stricter
  budget in API_THROTTLE_RATES. api.schema documents the RateLimit headers, 429 and 503.
- `Problems`: problem responses (api/schema_components.PROBLEMS) the view may answer besides
  those api.schema infers, for every action or only the ones named.
- `BodyLimit`: the largest request body the view takes, when it is not
  DATA_UPLOAD_MAX_MEMORY_SIZE (uploads); api.throttling refuses a larger one with a 413.
- `SelectableFields`: a list takes `?fields=`, any fields of its items: api.filtering accepts
  and checks it (the view reads the names it asked for), api.schema documents it.
- `WritesEntries`: editors' writes are versioned: api.schema documents If-Match, the ETag of
  the answer and the 412, and `write_serializer_class()` gives the body a write takes.
- `RedirectsRenamed`: a detail under a renamed slug answers 301 to the new one (the view
  does it); api.schema documents the 301.

The views themselves import nothing from here: the content apps stay below api.
"""

from dataclasses import dataclass, replace
from types import MappingProxyType


@dataclass(frozen=True)
class PublicContent:
    """Anonymous GETs answer the same to everyone: cacheable, with validators."""


@dataclass(frozen=True)
class RateLimit:
    """Count requests against the client's budgets, plus the budget `scope` if given."""

    scope: str | None = None
    counted: bool = True


# Probes and the metrics endpoint: never counted, never refused for a budget.
NOT_RATE_LIMITED = RateLimit(counted=False)


@dataclass(frozen=True)
class Problems:
    """Problem responses a view may answer (status -> component name), for some actions."""

    responses: dict
    actions: frozenset | None = None

    def __post_init__(self):
        object.__setattr__(self, "responses", MappingProxyType(dict(self.responses)))
        if self.actions is not None:
            object.__setattr__(self, "actions", frozenset(self.actions))


@dataclass(frozen=True)
class BodyLimit:
    """The largest request body, in bytes, that the view takes."""

    max_bytes: int


@dataclass(frozen=True)
class SelectableFields:
    """Lists take `?fields=`: any of their items' fields, in any order."""


@dataclass(frozen=True)
class WritesEntries:
    """Editors' writes hold to the version named by If-Match and answer with its ETag."""


@dataclass(frozen=True)
class RedirectsRenamed:
    """A detail asked for under a renamed slug answers 301 to the entry's slug now."""


@dataclass(frozen=True)
class ViewPolicy:
    """Every policy of one view class, as `attach()` set them."""

    public_content: bool = False
    rate_limit: RateLimit = RateLimit()
    problems: tuple = ()
    max_body_bytes: int | None = None
    selectable_fields: bool = False
    writes_entries: bool = False
    redirects_renamed: bool = False

    def with_(self, declared):
        if isinstance(declared, PublicContent):
            return replace(self, public_content=True)
        if isinstance(declared, RateLimit):
            return replace(self, rate_limit=declared)
        if isinstance(declared, Problems):
            return replace(self, problems=(*self.problems, declared))
        if isinstance(declared, BodyLimit):
            return replace(self, max_body_bytes=declared.max_bytes)
        if isinstance(declared, SelectableFields):
            return replace(self, selectable_fields=True)
        if isinstance(declared, WritesEntries):
            return replace(self, writes_entries=True)
        if isinstance(declared, RedirectsRenamed):
            return replace(self, redirects_renamed=True)
        raise TypeError(f"Not a view policy: {declared!r}")

    def problem_responses(self, action=None):
        """Status -> problem response name that the view declares for `action`."""
        responses = {}
        for problems in self.problems:
            if problems.actions is None or action in problems.actions:
                responses.update(problems.responses)
        return responses


DEFAULT_POLICY = ViewPolicy()

# The one attribute a policy is kept in on a view class; only this module reads it.
_ATTRIBUTE = "api_policy"


def attach(view_class, *declared):
    """Attach policies to a view class, on top of those it inherits from its bases."""
    inherited = next(
        (vars(base)[_ATTRIBUTE] for base in view_class.__mro__[1:] if _ATTRIBUTE in vars(base)),
        DEFAULT_POLICY,
    )
    policy = inherited
    for item in declared:
        policy = policy.with_(item)
    setattr(view_class, _ATTRIBUTE, policy)
    return view_class


def policy_of(view):
    """Return the ViewPolicy of a view class or instance (the default for any other callable)."""
    return getattr(view, _ATTRIBUTE, DEFAULT_POLICY)


def write_serializer_class(view_class):
    """Return the serializer an editor's write to `view_class` takes, None if it writes none."""
    if not policy_of(view_class).writes_entries:
        return None
    # Asked as DRF asks it while serving a create.
    view = view_class(action="create", request=None, format_kwarg=None)
    return view.get_serializer_class()
