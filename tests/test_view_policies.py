"""View policies (api.policies) are declared once per view, not as attributes others read."""

import re
from pathlib import Path

import pytest
from django.urls import get_resolver
from rest_framework.views import APIView

from api.policies import NOT_RATE_LIMITED, PublicContent, RateLimit, attach, policy_of
from apibase.preconditions import IfMatchWritesMixin

# The attributes that middleware and the schema generator used to read off view classes.
RETIRED_ATTRIBUTES = (
    "serves_public_content",
    "rate_limited",
    "throttle_scope",
    "problem_responses",
    "max_body_bytes",
    "selected_fields",
    "bad_request_description",
    "redirects_renamed",
    "select_fields",
)
# Attributes a viewset reads of itself, and nothing else reads off it.
OWN_ATTRIBUTES = ("write_serializer_class",)
ROOT = Path(__file__).resolve().parent.parent


def api_view_classes():
    found = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
                continue
            view_class = getattr(pattern.callback, "cls", None)
            if view_class is not None and issubclass(view_class, APIView):
                found.add(view_class)

    walk(get_resolver().url_patterns)
    return sorted(found, key=lambda view_class: view_class.__qualname__)


@pytest.mark.parametrize("view_class", api_view_classes(), ids=lambda cls: cls.__qualname__)
def test_no_view_carries_a_retired_policy_attribute(view_class):
    for name in RETIRED_ATTRIBUTES:
        assert not hasattr(view_class, name), f"{view_class.__qualname__}.{name}: use api.policies"


@pytest.mark.parametrize("view_class", api_view_classes(), ids=lambda cls: cls.__qualname__)
def test_a_view_documented_as_versioned_checks_if_match(view_class):
    """What the schema says of If-Match and the ETag (the policy) is what the view does."""
    versioned = issubclass(view_class, IfMatchWritesMixin)
    assert policy_of(view_class).writes_entries == versioned, view_class.__qualname__


def test_no_module_reads_a_view_attribute_instead_of_its_policy():
    names = "|".join(map(re.escape, (*RETIRED_ATTRIBUTES, *OWN_ATTRIBUTES)))
    reading = re.compile(rf"""(?:get|has)attr\([^()]*["']({names})["']""")
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in ROOT.rglob("*.py")
        if not {".venv", "node_modules"} & set(path.relative_to(ROOT).parts)
        for match in reading.finditer(path.read_text())
    ]
    assert not found, "read through api.policies.policy_of() instead"


def test_a_subclass_adds_to_the_policies_it_inherits():
    class Base(APIView):
        pass

    class Sub(Base):
        pass

    attach(Base, PublicContent())
    attach(Sub, RateLimit(scope="search"))

    assert policy_of(Base) == policy_of(Base())
    assert policy_of(Sub).public_content
    assert policy_of(Sub).rate_limit.scope == "search"
    assert policy_of(Base).rate_limit == RateLimit()


def test_views_without_policies_are_counted_and_not_public():
    policy = policy_of(APIView)
    assert policy.rate_limit.counted
    assert not policy.public_content
    assert not NOT_RATE_LIMITED.counted
