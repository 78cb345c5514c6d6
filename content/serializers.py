"""The base serializers of every content type: the list and detail fields they share, and writes."""

from django.core import validators
from django.urls import reverse
from django.utils import translation
from rest_framework import serializers

from content.models import Status
from content.structured_data import page_url, script_text
from entries.readonly import ReadOnlyModelSerializer
from entries.references import RelatedContentField
from entries.writable import EntryWriteSerializer
from taxonomy.models import Condition, Topic
from taxonomy.serializers import SafetyNoticesField, TagReferenceSerializer

# Field names each content serializer appends after its own.
SHARED_LIST_FIELDS = ["conditions", "topics", "status", "published_at", "updated_at"]
# Fields of every content type that editors write, after each type's own.
SHARED_WRITE_FIELDS = [
    "conditions",
    "topics",
    "status",
    "published_at",
    "seo_title",
    "seo_description",
]
# Each detail serializer declares its own `structured_data`, of its schema.org type.
SHARED_DETAIL_FIELDS = [
    "seo",
    "review",
    "safety_notices",
    "related",
    "structured_data",
    "structured_data_script",
]


class ReviewerSerializer(serializers.Serializer):
    """A medical reviewer as readers may see them."""

    name = serializers.CharField(read_only=True)
    credentials = serializers.CharField(read_only=True)
    speciality = serializers.CharField(read_only=True)
    licence_id = serializers.CharField(
        read_only=True, help_text="Licence or registration id, with its issuer; may be empty."
    )
    profile_url = serializers.CharField(read_only=True, help_text="May be empty.")
    is_placeholder = serializers.BooleanField(
        read_only=True,
        help_text="A stand-in (demo content), not a real review: do not present it as one.",
    )


class MedicalReviewSerializer(serializers.Serializer):
    """The medical sign-off of the current text: who, when, and when the next review is due."""

    reviewer = ReviewerSerializer(
        allow_null=True, read_only=True, help_text="None while the current text is not signed off."
    )
    signed_off_at = serializers.DateTimeField(allow_null=True, read_only=True)
    last_reviewed = serializers.DateField(
        allow_null=True,
        read_only=True,
        help_text="The date of the medical review; a typo fix signed off later keeps it.",
    )
    next_review_due = serializers.DateField(allow_null=True, read_only=True)

    def to_representation(self, item):
        sign_off = item.sign_off if item.sign_off_id is not None else None
        reviewer = sign_off.reviewer if sign_off is not None else None
        return {
            "reviewer": ReviewerSerializer(reviewer).data if reviewer is not None else None,
            "signed_off_at": (
                serializers.DateTimeField().to_representation(sign_off.signed_at)
                if sign_off is not None
                else None
            ),
            "last_reviewed": item.last_reviewed.isoformat() if item.last_reviewed else None,
            "next_review_due": item.review_due.isoformat() if item.review_due else None,
        }


class SeoSerializer(serializers.Serializer):
    """What the page's head needs: title, description, canonical address and social image."""

    title = serializers.CharField(
        read_only=True, help_text="The SEO title, or the entry's own title without one."
    )
    description = serializers.CharField(
        read_only=True, help_text="The SEO description; empty without one."
    )
    canonical_url = serializers.URLField(
        read_only=True,
        help_text="The page's one address in the answer's language: on the website when "
        "FRONTEND_BASE_URL is set, otherwise this detail in the API; `?lang=es` for Spanish.",
    )

    image = serializers.URLField(
        read_only=True,
        allow_null=True,
        help_text="The social image (og:image): the entry's hero image cut to 16:9, a JPEG up "
        "to 1280 pixels wide. Null for an entry without one.",
    )

    def to_representation(self, item):
        request = self.context.get("request")
        return {
            "title": item.seo_title or getattr(item, item.title_field),
            "description": item.seo_description,
            # Each language's page is its own canonical one, as its hreflang alternates need;
            # the answer's language is the active one (a translated answer activates it).
            "canonical_url": page_url(item, request, translation.get_language()),
            "image": social_image_url(item, request),
        }


def social_image_url(item, request):
    hero = getattr(item, "image", None)  # articles have a hero image; other types none yet
    rendition = hero.social_rendition() if hero is not None else None
    if rendition is None:
        return None
    url = hero.rendition_url(rendition)
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


class ReadabilitySerializer(serializers.Serializer):
    """How hard the body is to read (textstat), measured when it was last saved."""

    grade = serializers.FloatField(
        allow_null=True,
        read_only=True,
        help_text="Flesch-Kincaid grade: the US school grade a reader needs; lower is easier. "
        "Null without any words.",
    )
    reading_ease = serializers.FloatField(
        allow_null=True,
        read_only=True,
        help_text="Flesch reading ease: about 0 (very hard) to 100 (very easy).",
    )
    sentences = serializers.IntegerField(read_only=True)
    words = serializers.IntegerField(read_only=True)
    long_word_share = serializers.FloatField(
        allow_null=True,
        read_only=True,
        help_text="The share of words of more than six letters, 0 to 1.",
    )


class GlossaryTermSerializer(serializers.Serializer):
    """A glossary entry marked in the body: `data-glossary` in the HTML holds its slug."""

    slug = serializers.SlugField(read_only=True)
    term = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="The entry's detail in this API.")

    def to_representation(self, marked):
        path = reverse("glossary-detail", kwargs={"slug": marked["slug"]})
        return {
            "slug": marked["slug"],
            "term": marked["term"],
            "url": self.context["request"].build_absolute_uri(path),
        }


class PlainLanguageDetailSerializer(serializers.Serializer):
    """The glossary terms marked in a body, and how hard it is to read."""

    glossary_terms = GlossaryTermSerializer(
        many=True,
        read_only=True,
        help_text="The published glossary entries whose first mention in the body is marked "
        'with `<dfn data-glossary="slug">` (`<abbr>` for an abbreviation), in order.',
    )
    readability = ReadabilitySerializer(read_only=True)


# Detail fields of articles, FAQs and research summaries: see PlainLanguageDetailSerializer.
PLAIN_LANGUAGE_DETAIL_FIELDS = ["glossary_terms", "readability"]


class ContentTypeField(serializers.Field):
    """
    The item's content type (`article`, `faq`, `research`): what tells items apart in mixed
    lists (sync, preview), documented as the one value of each schema (see api/schema.py).
    """

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, item):
        return item.reference_type


class PublishableContentSerializer(ReadOnlyModelSerializer):
    """Fields of every content item in a list."""

    type = ContentTypeField()
    # Filled by the QuerySet's with_tags().
    conditions = TagReferenceSerializer(source="condition_tags", many=True, read_only=True)
    topics = TagReferenceSerializer(source="topic_tags", many=True, read_only=True)

    class Meta:
        fields = ["type", "slug", *SHARED_LIST_FIELDS]


class MarkdownSourceField(serializers.CharField):
    """
    The Markdown an editor writes, in the detail of an entry they may change, so that what
    they GET is what they PUT. Left out for everybody else: such answers carry credentials,
    so they are never cached or shared (api/conditional.py).
    """

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, required=False)
        kwargs.setdefault(
            "help_text",
            "The Markdown source, as written: only for editors with the change permission.",
        )
        super().__init__(**kwargs)


class PublishableContentDetailSerializer(PublishableContentSerializer):
    """Fields every content detail adds: its review, the notices to show and related items."""

    seo = SeoSerializer(source="*", read_only=True)
    review = MedicalReviewSerializer(source="*", read_only=True)
    safety_notices = SafetyNoticesField()
    related = RelatedContentField(
        help_text="Up to 6 published items of any type sharing its conditions and topics, "
        "those sharing the most first, then the newest."
    )
    structured_data_script = serializers.SerializerMethodField(
        help_text="`structured_data` written out for the page: put it, unchanged, as the text "
        'of a `<script type="application/ld+json">` element. `<`, `>` and `&` are written '
        "as `\\u003c`, `\\u003e` and `\\u0026`, so no text in it can end the element."
    )

    def get_structured_data_script(self, item) -> str:
        return script_text(self.get_structured_data(item))

    class Meta(PublishableContentSerializer.Meta):
        fields = [*PublishableContentSerializer.Meta.fields, *SHARED_DETAIL_FIELDS]

    def to_representation(self, item):
        data = super().to_representation(item)
        if not self._shows_source(item):
            for name, field in self.fields.items():
                if isinstance(field, MarkdownSourceField):
                    data.pop(name, None)
        return data

    def _shows_source(self, item):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return False
        opts = type(item)._meta
        return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


class TagSlugsField(serializers.SlugRelatedField):
    """Tags given by slug; an unknown slug is refused by name."""

    default_error_messages = {
        "does_not_exist": "There is no {model} with the slug {value}.",
        "not_a_slug": "Not a slug: letters, digits, hyphens and underscores only.",
    }

    def __init__(self, model, **kwargs):
        self.tag_model = model
        kwargs.setdefault("required", False)
        super().__init__(slug_field="slug", queryset=model.objects.all(), **kwargs)

    def to_internal_value(self, data):
        # A value no slug can have (NUL, spaces) is malformed, not merely unknown.
        if isinstance(data, str) and not validators.slug_re.match(data):
            self.fail("not_a_slug")
        try:
            return self.get_queryset().get(slug=data)
        except (TypeError, ValueError):
            self.fail("invalid")
        except self.tag_model.DoesNotExist:
            self.fail(
                "does_not_exist", model=self.tag_model._meta.verbose_name, value=repr(str(data))
            )


def tag_slugs(model, **kwargs):
    return serializers.ListField(
        child=TagSlugsField(model),
        required=False,
        help_text=f"Slugs of the {model._meta.verbose_name_plural} the entry is tagged with; "
        "the list replaces the current one.",
        **kwargs,
    )


class PublishableContentWriteSerializer(EntryWriteSerializer):
    """The publishing and review fields every content type shares."""

    conditions = tag_slugs(Condition)
    topics = tag_slugs(Topic)
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text="New entries start as draft or in_review. After that only the workflow's "
        "moves are allowed: draft to in_review; in_review to published; in_review, published "
        "or archived back to draft; anything but archived to archived. Publishing needs the "
        "publish permission and a medical reviewer's sign-off of the current text by someone "
        "other than its last author; changing the reviewed text of a published entry sends it "
        "back to in_review. A future published_at schedules the entry.",
    )

    def read_queryset(self):
        return super().read_queryset().with_review()
