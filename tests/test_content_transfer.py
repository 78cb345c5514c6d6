"""
Export writes every entry, in every state, and the taxonomy as Markdown files; importing them
into an empty database reproduces every field. A bad folder imports nothing and says why.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from modeltranslation.translator import translator

from articles.models import FAQ, Article
from content.models import Status
from research.models import ResearchSummary
from taxonomy.models import Condition, SafetyNotice, Topic
from tests.factories import (
    ArticleFactory,
    ConditionFactory,
    FAQFactory,
    ResearchSummaryFactory,
    SafetyNoticeFactory,
    TopicFactory,
)
from transfer.files import read_content_file

pytestmark = pytest.mark.django_db

MODELS = (Condition, Topic, SafetyNotice, Article, FAQ, ResearchSummary)
SKIPPED = {"id", "created_at", "updated_at"}


def language_columns(model):
    """
    The columns django-modeltranslation adds (`title_en`, `title_es` ...): files carry the
    English fields, compared as such, and no translations. An English column the entry was
    created without is None, where an import sets it to the field's value.
    """
    options = translator.get_options_for_model(model)
    return {column.name for columns in options.all_fields.values() for column in columns}


def snapshot():
    """Every field of every entry, keyed by model and slug, tags as slugs."""
    result = {}
    for model in MODELS:
        for item in model.objects.all():
            data = model_to_dict(item, exclude=SKIPPED | language_columns(model))
            for name in ("conditions", "topics"):
                if name in data:
                    data[name] = sorted(tag.slug for tag in data[name])
            for name in ("body_html", "body_text", "outline", "reading_time_minutes"):
                if hasattr(item, name):
                    data[name] = getattr(item, name)
            result[(model.__name__, item.slug)] = data
    return result


@pytest.fixture
def library():
    ptsd = ConditionFactory(slug="ptsd", icd10cm="F43.10", other_names=["PTSD"])
    pain = ConditionFactory(slug="chronic-pain", mesh="D059350")
    bdnf = TopicFactory(slug="bdnf", other_names=["brain-derived neurotrophic factor"])
    SafetyNoticeFactory(slug="crisis", conditions=[ptsd], severity="critical", order=3)
    SafetyNoticeFactory(slug="disclaimer", applies_everywhere=True, is_active=False)
    ArticleFactory(slug="live", conditions=[ptsd, pain], topics=[bdnf], author="Dr A")
    ArticleFactory(slug="draft", status=Status.DRAFT, published_at=None, last_reviewed=None)
    ArticleFactory(slug="scheduled", scheduled=True, body="Unicode: café — 95 %\n\n## Ü")
    FAQFactory(slug="archived-faq", archived=True, order=70, topics=[bdnf])
    FAQFactory(slug="in-review-faq", in_review=True, reviewer_credentials="")
    ResearchSummaryFactory(
        slug="study",
        key_findings=["One.", "Two: with a colon."],
        doi="10.1000/xyz123",
        year=None,
        volume="12",
        grade_certainty="moderate",
        url="https://example.org/study",
        conditions=[pain],
    )


def run(command, *args):
    out = StringIO()
    call_command(command, *args, "--no-progress", stdout=out)
    return out.getvalue()


def line_of(path, text):
    """The line (1-based) of the file on which `text` first appears."""
    (number,) = [n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line][:1]
    return number


def import_problems(folder):
    """Import the folder, expecting it to be refused; return the listed problems."""
    with pytest.raises(CommandError) as caught:
        run("import_content", folder)
    message = str(caught.value)
    assert message.startswith("Nothing was imported;")
    return [line.strip() for line in message.splitlines()[1:]]


def empty_the_database():
    for model in reversed(MODELS):
        model.objects.all().delete()


def test_export_then_import_into_an_empty_database_reproduces_every_field(library, tmp_path):
    before = snapshot()
    assert "Exported 6 entries" in run("export_content", tmp_path)
    assert sorted(p.name for p in (tmp_path / "articles").iterdir()) == [
        "draft.md",
        "live.md",
        "scheduled.md",
    ]
    empty_the_database()
    assert "11 of 11 item(s) created or changed" in run("import_content", tmp_path)
    assert snapshot() == before


def test_importing_again_changes_nothing(library, tmp_path):
    run("export_content", tmp_path)
    before = {m.__name__: sorted(m.objects.values_list("slug", "updated_at")) for m in MODELS}
    assert "0 of 11 item(s)" in run("import_content", tmp_path)
    after = {m.__name__: sorted(m.objects.values_list("slug", "updated_at")) for m in MODELS}
    assert after == before


def test_import_updates_by_slug(library, tmp_path):
    run("export_content", tmp_path)
    path = tmp_path / "articles" / "live.md"
    path.write_text(path.read_text().replace("title: Article", "title: Renamed article"))
    run("import_content", tmp_path)
    assert Article.objects.get(slug="live").title.startswith("Renamed article")
    assert Article.objects.count() == 3


def test_a_bad_folder_imports_nothing_and_lists_every_problem(library, tmp_path):
    run("export_content", tmp_path)
    empty_the_database()
    live = tmp_path / "articles" / "live.md"
    live.write_text(
        live.read_text().replace("title: Article", "title: ''\ncolour: red\nx: Article")
    )
    faq = tmp_path / "faqs" / "archived-faq.md"
    faq.write_text(faq.read_text().replace("status: archived", "status: lost"))
    study = tmp_path / "research" / "study.md"
    study.write_text(study.read_text().replace("- chronic-pain", "- no-such-condition"))
    with pytest.raises(CommandError) as caught:
        run("import_content", tmp_path)
    message = str(caught.value)
    assert "Nothing was imported" in message
    assert f"{live}:{line_of(live, 'title:')}: title: This field cannot be blank." in message
    assert f"{live}:{line_of(live, 'colour:')}: colour: unknown field." in message
    assert f"{live}:{line_of(live, 'x: Article')}: x: unknown field." in message
    assert (
        f"{faq}:{line_of(faq, 'status:')}: status: Value 'lost' is not a valid choice." in message
    )
    assert (
        f"{study}:{line_of(study, 'conditions:')}: conditions: no such slug 'no-such-condition'."
        in message
    )
    assert not any(model.objects.exists() for model in MODELS)


def test_validation_of_every_file_runs_before_anything_is_written(library, tmp_path):
    """The first entries are valid, the last one is not: still nothing is written."""
    run("export_content", tmp_path)
    empty_the_database()
    study = tmp_path / "research" / "study.md"
    study.write_text(study.read_text().replace("doi: 10.1000/xyz123", "doi: nope"))
    with pytest.raises(CommandError, match=rf"study.md:{line_of(study, 'doi:')}: doi: A DOI looks"):
        run("import_content", tmp_path)
    assert not Condition.objects.exists()


def test_exported_files_read_like_the_demo(library, tmp_path):
    run("export_content", tmp_path)
    entry = read_content_file(tmp_path / "articles" / "live.md")
    assert entry.front_matter["conditions"] == ["chronic-pain", "ptsd"]
    assert entry.front_matter["status"] == "published"
    assert entry.front_matter["last_reviewed"] == datetime.date(2026, 1, 15).isoformat()


def test_the_demo_folder_imports(tmp_path):
    from django.conf import settings

    output = run("import_content", settings.BASE_DIR / "demo")
    assert "created or changed" in output
    assert Article.objects.filter(status=Status.ARCHIVED).exists()
    assert Article.objects.filter(status=Status.DRAFT).exists()


def test_a_slug_given_twice_in_the_taxonomy_is_refused(library, tmp_path):
    run("export_content", tmp_path)
    empty_the_database()
    taxonomy = tmp_path / "taxonomy.yaml"
    text = taxonomy.read_text()
    first = text.index("- slug: chronic-pain")
    taxonomy.write_text(text[:first] + "- slug: ptsd\n  name: Second PTSD\n" + text[first:])
    second_line = line_of(taxonomy, "- slug: ptsd")
    first_line = [
        n for n, line in enumerate(taxonomy.read_text().splitlines(), 1) if "slug: ptsd" in line
    ][1]
    assert first_line > second_line  # the export orders by slug: the added one comes first
    problems = import_problems(tmp_path)
    assert problems == [
        f"{taxonomy}:{first_line}: conditions[2]: slug: 'ptsd' is given twice; "
        f"first at {taxonomy}:{second_line} (conditions[0])."
    ]
    assert not Condition.objects.exists()


def test_a_key_given_twice_is_refused_at_its_line(library, tmp_path):
    run("export_content", tmp_path)
    live = tmp_path / "articles" / "live.md"
    live.write_text(live.read_text().replace("author: Dr A", "author: Dr A\nauthor: Dr B"))
    problems = import_problems(tmp_path)
    assert problems == [
        f"{live}:{line_of(live, 'author: Dr B')}: "
        f"the key 'author' is given twice (first on line {line_of(live, 'author: Dr A')})"
    ]
    assert Article.objects.get(slug="live").author == "Dr A"


def test_unreadable_yaml_is_reported_at_its_true_line(library, tmp_path):
    run("export_content", tmp_path)
    live = tmp_path / "articles" / "live.md"
    live.write_text(live.read_text().replace("author: Dr A", "author: Dr: A"))
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("name: ", "name: a: ", 1))
    assert import_problems(tmp_path) == [
        f"{taxonomy}:{line_of(taxonomy, 'name: a: ')}: mapping values are not allowed here",
        f"{live}:{line_of(live, 'author: Dr: A')}: mapping values are not allowed here",
    ]


NUL_CASES = {
    # The file, what is replaced in it and by what, the field named and the line it is on.
    "a body": ("articles/live.md", "More words.", "More \x00words.", "body", "More"),
    "a front matter value": (
        "articles/live.md",
        "author: Dr A",
        'author: "Dr \\0A"',
        "author",
        "author:",
    ),
    "a tag slug": (
        "research/study.md",
        "- chronic-pain",
        '- "chronic\\0pain"',
        "conditions",
        "conditions:",
    ),
    "a taxonomy list": (
        "taxonomy.yaml",
        "- PTSD",
        '- "PT\\0SD"',
        "conditions[1]: other_names",
        "other_names:",
    ),
    "a taxonomy slug": (
        "taxonomy.yaml",
        "slug: bdnf",
        'slug: "bd\\0nf"',
        "topics[0]: slug",
        'slug: "bd',
    ),
}


@pytest.mark.parametrize("case", sorted(NUL_CASES))
def test_a_nul_character_is_a_problem_at_its_file_and_line(case, library, tmp_path):
    """PostgreSQL cannot store U+0000: each one is named, on every database, with no traceback."""
    name, old, new, field, marker = NUL_CASES[case]
    run("export_content", tmp_path)
    empty_the_database()
    path = tmp_path / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    problems = import_problems(tmp_path)
    # The line of the marker, at the edit or above it: a list's problems are at its key.
    edited = text.replace(old, new, 1)
    line = edited[: edited.rindex(marker, 0, edited.index(new) + len(new))].count("\n") + 1
    # Entries naming a refused tag slug are refused too; nothing else is.
    assert [problem for problem in problems if "no such slug" not in problem] == [
        f"{path}:{line}: {field}: contains a NUL character (U+0000), which the database "
        "cannot store."
    ]
    assert not any(model.objects.exists() for model in MODELS)


def test_a_file_that_is_not_utf8_is_a_problem_at_its_line(library, tmp_path):
    run("export_content", tmp_path)
    live = tmp_path / "articles" / "live.md"
    live.write_bytes(live.read_bytes().replace(b"More words.", b"More \xff words."))
    problems = import_problems(tmp_path)
    line = live.read_bytes().split(b"\n").index(b"More \xff words.") + 1
    assert problems == [f"{live}:{line}: not UTF-8 text (invalid start byte)."]
