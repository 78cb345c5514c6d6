import operator
from contextlib import contextmanager
from functools import reduce

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from rest_framework.test import APIClient

from api.conditional import fail_open
from api.public_answers import content_version as remembered_content_version
from api.redis_cache import budget_ledger
from search.backends import forget_synonyms

# The browser tests' Chromium and pages, one Playwright for the whole session.
from tests.browser import browser, page, second_page  # noqa: F401
from tests.factories import CONTENT_FACTORIES


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL")
    for item in items:
        if "requires_postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def empty_answer_cache():
    """Start each test with no cached answers (generations start over with each test), and
    with the cache trusted again whatever an earlier test did to it."""
    cache.clear()
    remembered_content_version.forget()
    budget_ledger.forget()
    fail_open.reset()


@pytest.fixture(autouse=True)
def fresh_synonyms():
    """Read the synonym list anew in each test: the last test's rolled-back rows are gone."""
    forget_synonyms()


@contextmanager
def shared_rows(django_db_blocker):
    """Keep the rows written inside for the tests of a module (or class): one transaction
    around them all, rolled back after the last. Each test's own transaction is a savepoint in
    it, rolled back after the test, so no test sees another's changes to the shared rows.
    Only for tests marked django_db without transaction=True (those commit)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture(params=sorted(CONTENT_FACTORIES))
def content(request):
    """Each content resource in turn: its URL segment and the factory of its items."""
    return request.param, CONTENT_FACTORIES[request.param]


EDITED_MODELS = [
    ("articles", "article"),
    ("articles", "faq"),
    ("research", "researchsummary"),
    ("glossary", "glossaryentry"),
    ("taxonomy", "condition"),
    ("taxonomy", "topic"),
]


def make_user(username, *, staff=True, superuser=False, permissions=()):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(
        username, f"{username}@example.com", "pw-for-tests", is_staff=staff, is_superuser=superuser
    )
    wanted = set(permissions)
    if wanted:  # one query for them all, not one each: most tests make an editor
        matches = reduce(
            operator.or_, (Q(content_type__app_label=a, codename=c) for a, c in wanted)
        )
        found = {
            (permission.content_type.app_label, permission.codename): permission
            for permission in Permission.objects.select_related("content_type").filter(matches)
        }
        assert set(found) == wanted, f"no such permission: {sorted(wanted - set(found))}"
        user.user_permissions.add(*found.values())
    return user


def editor_permissions():
    return [
        *(
            (app, f"{action}_{model}")
            for app, model in EDITED_MODELS
            for action in ("view", "add", "change", "delete")
        ),
        ("publishing", "publish_content"),
    ]


@pytest.fixture
def editor(db):
    """A staff member holding the add, change, delete and view permissions of every entry,
    and the permission to publish (not to sign off)."""
    return make_user("editor", permissions=editor_permissions())


@pytest.fixture
def staff_without_permission(db):
    return make_user("staff-member")


@pytest.fixture
def superuser(db):
    return make_user("admin", superuser=True)


@pytest.fixture
def editor_api(editor):
    api = APIClient()
    api.force_authenticate(editor)
    return api


@pytest.fixture
def media_root(settings, tmp_path):
    """Store uploaded images in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def image_editor(db):
    """A staff member holding every image permission and those of the entries."""
    actions = ("view", "add", "change", "delete")
    return make_user(
        "image-editor",
        permissions=[*editor_permissions(), *[("images", f"{a}_image") for a in actions]],
    )


@pytest.fixture
def image_api(image_editor):
    api = APIClient()
    api.force_authenticate(image_editor)
    return api
