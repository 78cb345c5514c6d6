import datetime

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from articles.models import FAQ, Article
from content.models import Status
from glossary.models import GlossaryEntry
from publishing.models import Reviewer, SignOff
from research.models import ResearchSummary
from taxonomy.models import Condition, SafetyNotice, Topic


class ConditionFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"condition-{n}")
    name = factory.Sequence(lambda n: f"Condition {n}")
    description = "A condition."

    class Meta:
        model = Condition


class TopicFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")
    description = "A topic."

    class Meta:
        model = Topic


class SafetyNoticeFactory(factory.django.DjangoModelFactory):
    slug = factory.Sequence(lambda n: f"notice-{n}")
    title = factory.Sequence(lambda n: f"Notice {n}")
    body = "Talk to your **clinician**."

    class Meta:
        model = SafetyNotice
        skip_postgeneration_save = True

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if create and extracted:
            self.conditions.set(extracted)


class PublishableFactory(factory.django.DjangoModelFactory):
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    reviewer_name = "Dr Test Reviewer"
    reviewer_credentials = "MD"
    last_reviewed = datetime.date(2026, 1, 15)

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    class Params:
        # States in which an item must stay invisible to anonymous clients.
        draft = factory.Trait(status=Status.DRAFT)
        in_review = factory.Trait(status=Status.IN_REVIEW)
        archived = factory.Trait(status=Status.ARCHIVED)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
        )

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if create and extracted:
            self.conditions.set(extracted)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def signed_off(self, create, extracted, **kwargs):
        """Signed off by a test reviewer unless `signed_off=False` or without a reviewer name."""
        if create and extracted is not False and self.reviewer_name:
            sign_off_text(self)


class ReviewerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Dr Reviewer {n}")
    credentials = "MD"
    speciality = "Psychiatry"

    class Meta:
        model = Reviewer


def sign_off_text(entry, *, reviewer=None, signed_by=None):
    """Record a sign-off of the entry's current text, as if a reviewer had made it."""
    if reviewer is None:
        reviewer, _ = Reviewer.objects.get_or_create(
            name=entry.reviewer_name or "Dr Test Reviewer",
            credentials=entry.reviewer_credentials if entry.reviewer_name else "MD",
        )
    sign_off = SignOff.objects.create(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        entry_version=entry.version,
        text_digest=entry.current_text_digest(),
        reviewer=reviewer,
        signed_by=signed_by,
        reviewed_on=entry.last_reviewed or datetime.date(2026, 1, 15),
    )
    type(entry).objects.filter(pk=entry.pk).update(sign_off=sign_off)
    entry.sign_off = sign_off
    return sign_off


class ArticleFactory(PublishableFactory):
    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    summary = "How it works, briefly."
    body = "## First part\n\nSome words about receptors.\n\n## Second part\n\nMore words."
    author = "Clinic Editorial Team"

    class Meta:
        model = Article


class FAQFactory(PublishableFactory):
    slug = factory.Sequence(lambda n: f"faq-{n}")
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "An *answer*."
    order = factory.Sequence(lambda n: n * 10)

    class Meta:
        model = FAQ


class ResearchSummaryFactory(PublishableFactory):
    slug = factory.Sequence(lambda n: f"study-{n}")
    title = factory.Sequence(lambda n: f"Study {n}")
    summary = "What the study found, briefly."
    body = "A plain-language summary."
    key_findings = factory.LazyFunction(lambda: ["A finding."])
    study_design = "rct"
    evidence_level = "2"
    citation_authors = "Berman RM, Cappiello A, Anand A"
    citation_title = "A study title"
    journal = "Biological Psychiatry"
    year = 2000
    pmid = "10686270"

    class Meta:
        model = ResearchSummary


class GlossaryEntryFactory(PublishableFactory):
    slug = factory.Sequence(lambda n: f"term-{n}")
    term = factory.Sequence(lambda n: f"Term {n}")
    definition = "A word explained in plain language."

    class Meta:
        model = GlossaryEntry


# The content list endpoints, by URL segment, with the factory of what each one serves.
CONTENT_FACTORIES = {
    "articles": ArticleFactory,
    "faqs": FAQFactory,
    "research": ResearchSummaryFactory,
    "glossary": GlossaryEntryFactory,
}

# States in which an item must be invisible to anonymous clients.
HIDDEN_STATES = ["draft", "in_review", "archived", "scheduled"]
