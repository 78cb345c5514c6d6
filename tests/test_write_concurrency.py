"""
Two editors writing at the same moment never silently undo each other.

The races run on PostgreSQL, each editor a thread with its own database connection, as two
app processes would be. A write reads, changes and saves one entry inside one transaction
holding the entry's row lock, so edits of different fields both survive and a workflow move
is checked against the entry as it is when the write commits. Writes to different entries
never deadlock.

Editors who want to know they are changing what they read send the entry's ETag back as
If-Match: a stale one is a 412 that changes nothing. The admin refuses a form opened before
someone else's save, and names who saved and when.
"""

import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from reversion.models import Version

from articles.models import FAQ, Article
from content.models import Status
from publishing.models import ChangeLogEntry
from research.models import ResearchSummary
from taxonomy.models import Condition, Topic
from tests.conftest import editor_permissions, make_user
from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    ResearchSummaryFactory,
    TopicFactory,
)
from tests.problems import assert_problem

WAIT = 20  # seconds for one round of writes; generous on a busy machine
PATCH_ROUNDS = 20
ARCHIVE_ROUNDS = 15
DELETE_ROUNDS = 4
IF_MATCH_ROUNDS = 6
ADMIN_ROUNDS = 4


def run_together(*requests):
    """Send the requests at the same moment, each from its own thread; return the responses."""
    start = threading.Barrier(len(requests))
    responses = [None] * len(requests)
    errors = []

    def run(index, request):
        try:
            start.wait(WAIT)
            responses[index] = request()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, request), daemon=True)
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads), "a write hung"
    assert errors == []
    return responses


@pytest.fixture
def editors(db):
    """Two editors, each with a client of their own sending the editor's API token, as real
    clients do: a request without credentials is anonymous, and may be answered as such
    before any authentication runs (api.public_answers)."""
    clients = []
    for name in ("alice", "bob"):
        api = APIClient()
        token = Token.objects.create(user=make_user(name, permissions=editor_permissions()))
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        clients.append(api)
    return clients


def patch(api, slug, body, resource="articles", **headers):
    return lambda: api.patch(f"/api/v1/{resource}/{slug}/", body, format="json", **headers)


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_different_fields_keep_both(editors):
    alice, bob = editors
    article = ArticleFactory(slug="shared")
    lost = []
    for round_ in range(PATCH_ROUNDS):
        title, summary = f"Title {round_}", f"Summary {round_}"
        answers = run_together(
            patch(alice, article.slug, {"title": title}),
            patch(bob, article.slug, {"summary": summary}),
        )
        assert [answer.status_code for answer in answers] == [200, 200]
        stored = Article.objects.get(pk=article.pk)
        if (stored.title, stored.summary) != (title, summary):
            lost.append(round_)
    assert lost == [], f"an edit was lost in {len(lost)} of {PATCH_ROUNDS} rounds"


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_an_archive_never_publishes_again(editors):
    alice, bob = editors
    article = ArticleFactory(slug="withdrawn")
    republished, lost = [], []
    for round_ in range(ARCHIVE_ROUNDS):
        Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED)
        answers = run_together(
            patch(alice, article.slug, {"status": Status.ARCHIVED}),
            patch(bob, article.slug, {"summary": f"Summary {round_}"}),
        )
        assert [answer.status_code for answer in answers] == [200, 200]
        stored = Article.objects.get(pk=article.pk)
        if stored.status != Status.ARCHIVED:
            republished.append(round_)
        if stored.summary != f"Summary {round_}":
            lost.append(round_)
    assert republished == [], (
        f"an archived article was published again in {len(republished)} of {ARCHIVE_ROUNDS} rounds"
    )
    assert lost == [], f"the edit was lost in {len(lost)} of {ARCHIVE_ROUNDS} rounds"
    assert client_sees(article.slug) == 404


def client_sees(slug):
    return APIClient().get(f"/api/v1/articles/{slug}/").status_code


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deletes_and_edits_of_different_entries_all_succeed(editors):
    alice, bob = editors
    failures = []
    for round_ in range(DELETE_ROUNDS):
        kept, dropped = ConditionFactory.create_batch(2)
        articles = ArticleFactory.create_batch(3, conditions=[kept, dropped])
        faqs = FAQFactory.create_batch(3, conditions=[kept])
        answers = run_together(
            lambda a=articles[0]: alice.delete(f"/api/v1/articles/{a.slug}/"),
            lambda f=faqs[0]: bob.delete(f"/api/v1/faqs/{f.slug}/"),
            patch(
                alice, articles[1].slug, {"summary": f"Edited {round_}", "conditions": [kept.slug]}
            ),
            patch(bob, faqs[1].slug, {"answer": f"Edited {round_}"}, resource="faqs"),
            patch(alice, articles[2].slug, {"status": Status.ARCHIVED}),
            patch(bob, kept.slug, {"description": f"Edited {round_}"}, resource="conditions"),
            lambda d=dropped: alice.delete(f"/api/v1/conditions/{d.slug}/"),
            lambda f=faqs[2]: bob.delete(f"/api/v1/faqs/{f.slug}/"),
        )
        failures += [answer.status_code for answer in answers if answer.status_code >= 300]
    assert failures == [], f"{len(failures)} of {8 * DELETE_ROUNDS} writes failed"


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("resource", ["articles", "conditions"])
def test_of_two_deletes_of_one_entry_one_deletes_it_and_the_other_finds_it_gone(editors, resource):
    """The second waits for the first's lock, then finds no row: a 404 problem, never a 500."""
    alice, bob = editors
    factory = ArticleFactory if resource == "articles" else ConditionFactory
    for _round in range(DELETE_ROUNDS):
        entry = factory()
        ArticleFactory.create_batch(3, conditions=[entry] if resource == "conditions" else [])
        path = f"/api/v1/{resource}/{entry.slug}/"
        answers = run_together(lambda p=path: alice.delete(p), lambda p=path: bob.delete(p))
        assert sorted(answer.status_code for answer in answers) == [204, 404]
        assert_problem(next(answer for answer in answers if answer.status_code == 404), 404)


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_writes_holding_the_same_version_one_wins_and_one_is_refused(editors):
    alice, bob = editors
    article = ArticleFactory(slug="contested")
    for round_ in range(IF_MATCH_ROUNDS):
        etag = alice.get(f"/api/v1/articles/{article.slug}/")["ETag"]
        answers = run_together(
            patch(alice, article.slug, {"title": f"Alice {round_}"}, HTTP_IF_MATCH=etag),
            patch(bob, article.slug, {"summary": f"Bob {round_}"}, HTTP_IF_MATCH=etag),
        )
        assert sorted(answer.status_code for answer in answers) == [200, 412]
        stored = Article.objects.get(pk=article.pk)
        alice_won = answers[0].status_code == 200
        assert (stored.title == f"Alice {round_}") is alice_won
        assert (stored.summary == f"Bob {round_}") is not alice_won


# If-Match and ETag, on every database.

ENTRIES = {
    "articles": (ArticleFactory, Article, {"summary": "Changed."}),
    "faqs": (FAQFactory, FAQ, {"answer": "Changed."}),
    "research": (ResearchSummaryFactory, ResearchSummary, {"summary": "Changed."}),
    "conditions": (ConditionFactory, Condition, {"description": "Changed."}),
    "topics": (TopicFactory, Topic, {"description": "Changed."}),
}


def stored_state(model, pk):
    row = model.objects.filter(pk=pk).values().first()
    return row, Version.objects.filter(object_id=str(pk)).count(), ChangeLogEntry.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("resource", sorted(ENTRIES))
def test_a_stale_if_match_is_a_412_that_changes_nothing(resource, editor_api):
    factory, model, change = ENTRIES[resource]
    entry = factory()
    url = f"/api/v1/{resource}/{entry.slug}/"
    read = editor_api.get(url)
    assert read["ETag"] == '"v1"'
    saved = editor_api.patch(url, change, format="json", HTTP_IF_MATCH=read["ETag"])
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == '"v2"'
    before = stored_state(model, entry.pk)

    stale = {"HTTP_IF_MATCH": read["ETag"]}
    replaced = {**editor_api.get(url).json(), **change}
    attempts = {
        "PATCH": editor_api.patch(url, {**change, "slug": "renamed"}, format="json", **stale),
        # The precondition is checked before the body: even a bad body is a 412.
        "PATCH bad body": editor_api.patch(url, {"slug": "not a slug"}, format="json", **stale),
        "PUT": editor_api.put(url, replaced, format="json", **stale),
        "DELETE": editor_api.delete(url, **stale),
        "DELETE, two stale tags": editor_api.delete(url, HTTP_IF_MATCH='"v0", "v1"'),
        "DELETE, malformed": editor_api.delete(url, HTTP_IF_MATCH="v2"),
    }
    for name, response in attempts.items():
        body = assert_problem(response, 412)
        assert body["title"] == "Precondition Failed", name
        assert '"v2"' in body["detail"], name
    assert stored_state(model, entry.pk) == before


@pytest.mark.django_db
def test_a_current_if_match_or_none_at_all_lets_the_write_through(editor_api):
    article = ArticleFactory(slug="current")
    url = f"/api/v1/articles/{article.slug}/"
    assert editor_api.patch(url, {"title": "One"}, format="json").status_code == 200
    # Compressed answers weaken the tag on the way out; the weak form names the same version.
    for if_match in ('W/"v2"', '"v0", "v3"', "*"):
        response = editor_api.patch(url, {"title": if_match}, format="json", HTTP_IF_MATCH=if_match)
        assert response.status_code == 200, (if_match, response.content)
    assert Article.objects.get(pk=article.pk).version == 5
    assert editor_api.delete(url, HTTP_IF_MATCH='"v5"').status_code == 204
    assert not Article.objects.filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_a_created_entry_carries_its_first_version_and_the_public_no_version(editor_api, client):
    created = editor_api.post(
        "/api/v1/faqs/", {"slug": "new", "question": "Why?", "answer": "Because."}, format="json"
    )
    assert created.status_code == 201
    assert created["ETag"] == '"v1"'
    FAQ.objects.filter(slug="new").update(
        status=Status.PUBLISHED, published_at="2026-01-01T00:00:00Z"
    )
    public = client.get("/api/v1/faqs/new/")
    assert public.status_code == 200
    assert public["ETag"].startswith('W/"') and "v1" not in public["ETag"]


# The admin's change form.


@pytest.fixture
def admin_clients(db):
    """Alice and Bob, signed in to the admin."""
    clients = []
    for name in ("alice", "bob"):
        user = get_user_model().objects.create_superuser(name, f"{name}@example.com", "pw")
        user.first_name = name.title()
        user.save()
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def admin_form(page, **changes):
    """What the admin's change form on `page` posts back, with these changes typed in."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if name == "published_at":
            date, time = field.widget.decompress(value) if value else (None, None)
            data["published_at_0"] = date.isoformat() if date else ""
            data["published_at_1"] = time.strftime("%H:%M:%S") if time else ""
        elif value is not None:
            data[name] = value
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_admin_refuses_a_form_opened_before_someone_elses_save(admin_clients):
    alice, bob = admin_clients
    faq = FAQFactory(question="Original question?", answer="Original answer.")
    url = f"/admin/articles/faq/{faq.pk}/change/"
    alices_page = alice.get(url)
    assert 'name="seen_version" value="1"' in alices_page.content.decode()

    bob_saved = bob.post(url, admin_form(bob.get(url), answer="Bob's answer."))
    assert bob_saved.status_code == 302, bob_saved.content.decode()[:2000]

    refused = alice.post(url, admin_form(alices_page, question="Alice's question?"))
    assert refused.status_code == 200
    page = refused.content.decode()
    saved_at = Version.objects.get_for_object(faq).first().revision.date_created
    assert re.search(
        r"Bob saved this entry at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [A-Z]+, after you opened it",
        page,
    ), page[:3000]
    assert saved_at.strftime("%H:%M:%S") in page
    # Alice's typing is still in the form, nothing of it saved.
    assert "Alice&#x27;s question?" in page
    stored = FAQ.objects.get(pk=faq.pk)
    assert (stored.question, stored.answer, stored.version) == (
        "Original question?",
        "Bob's answer.",
        2,
    )

    # Opened again, the form shows Bob's save and takes Alice's change on top of it.
    again = alice.post(url, admin_form(alice.get(url), question="Alice's question?"))
    assert again.status_code == 302
    stored = FAQ.objects.get(pk=faq.pk)
    assert (stored.question, stored.answer) == ("Alice's question?", "Bob's answer.")


@pytest.mark.django_db
def test_an_admin_form_without_its_version_is_refused(admin_clients):
    alice, _ = admin_clients
    condition = ConditionFactory(description="Kept.")
    url = f"/admin/taxonomy/condition/{condition.pk}/change/"
    data = admin_form(alice.get(url), description="Overwritten?")
    del data["seen_version"]
    assert alice.post(url, data).status_code == 200
    assert Condition.objects.get(pk=condition.pk).description == "Kept."


@pytest.mark.django_db
def test_editing_the_list_keeps_a_change_saved_since_the_list_was_read(admin_clients, editor_api):
    alice, _ = admin_clients
    faq = FAQFactory(order=10, answer="Before.")
    page = alice.get("/admin/articles/faq/")
    assert page.status_code == 200
    editor_api.patch(f"/api/v1/faqs/{faq.slug}/", {"answer": "Saved meanwhile."}, format="json")
    response = alice.post(
        "/admin/articles/faq/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": faq.pk,
            "form-0-order": "30",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    stored = FAQ.objects.get(pk=faq.pk)
    assert (stored.order, stored.answer) == (30, "Saved meanwhile.")


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_of_two_admin_forms_opened_at_once_one_saves_and_one_is_refused(admin_clients):
    alice, bob = admin_clients
    faq = FAQFactory(question="Original?", answer="Original.")
    url = f"/admin/articles/faq/{faq.pk}/change/"
    for round_ in range(ADMIN_ROUNDS):
        alices_form = admin_form(alice.get(url), question=f"Alice {round_}?")
        bobs_form = admin_form(bob.get(url), answer=f"Bob {round_}.")
        answers = run_together(
            lambda form=alices_form: alice.post(url, form),
            lambda form=bobs_form: bob.post(url, form),
        )
        assert sorted(answer.status_code for answer in answers) == [200, 302]
        stored = FAQ.objects.get(pk=faq.pk)
        alice_won = answers[0].status_code == 302
        assert (stored.question == f"Alice {round_}?") is alice_won
        assert (stored.answer == f"Bob {round_}.") is not alice_won
        loser = answers[1] if alice_won else answers[0]
        assert "after you opened it" in loser.content.decode()


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_bulk_archive_racing_an_edit_keeps_both(admin_clients):
    alice, _ = admin_clients
    carol = APIClient()
    carol.force_authenticate(make_user("carol", permissions=editor_permissions()))
    articles = ArticleFactory.create_batch(3)
    for round_ in range(ADMIN_ROUNDS):
        Article.objects.update(status=Status.PUBLISHED)
        answers = run_together(
            lambda: alice.post(
                "/admin/articles/article/",
                {"action": "archive", "_selected_action": [a.pk for a in articles]},
            ),
            patch(carol, articles[1].slug, {"summary": f"Edited {round_}"}),
        )
        assert [answer.status_code for answer in answers] == [302, 200]
        assert set(Article.objects.values_list("status", flat=True)) == {Status.ARCHIVED}
        assert Article.objects.get(pk=articles[1].pk).summary == f"Edited {round_}"
