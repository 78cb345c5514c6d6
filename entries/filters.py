"""Filters of every edited resource, tags and content alike: slugs, codes, dates and ordering."""

import datetime

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import BaseCSVField, IsoDateTimeField


class SlugValueField(forms.SlugField):
    """A slug as given: surrounding spaces make it invalid, not trimmed."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, **kwargs)


class SlugListFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Comma-separated slugs; an item matching any of them is kept. Anything else is a 400."""

    field_class = SlugValueField


# A clinical code as the systems write them: F33.2 (ICD-10-CM), 35489007 (SNOMED CT), D003865
# (MeSH). The schema states the same pattern; "(?!\n)$" keeps a trailing newline out in both.
CLINICAL_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.-]*(?!\n)$"
CLINICAL_CODE_MAX_LENGTH = 40


class ClinicalCodeField(forms.RegexField):
    """A clinical code as given: letters, digits, dots and hyphens; spaces are not trimmed."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid": "Enter clinical codes of letters, digits, dots and hyphens, e.g. F33.2."},
        )
        super().__init__(
            CLINICAL_CODE_PATTERN, max_length=CLINICAL_CODE_MAX_LENGTH, strip=False, **kwargs
        )


class ChoiceListFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Comma-separated choices; an item matching any of them is kept."""


class ClinicalCodeListFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """Comma-separated clinical codes; an item matching any of them is kept. Else a 400."""

    field_class = ClinicalCodeField


# How many items one request may ask for by slug: a page's worth.
SLUG_BATCH_MAX = 100


class SlugBatchField(BaseCSVField):
    def clean(self, value):
        value = super().clean(value)
        if value is not None and len(value) > SLUG_BATCH_MAX:
            raise forms.ValidationError(
                f"At most {SLUG_BATCH_MAX} slugs at once, not {len(value)}.", code="max_slugs"
            )
        return value


class SlugBatchFilter(SlugListFilter):
    """Fetch several items in one request: their slugs, comma-separated, at most 100."""

    base_field_class = SlugBatchField

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "slug")
        kwargs.setdefault("lookup_expr", "in")
        kwargs.setdefault(
            "help_text",
            f"Slugs, comma-separated (at most {SLUG_BATCH_MAX}): only these items, those that "
            "exist and are public. Several items in one request.",
        )
        super().__init__(**kwargs)


# Longer than any question a person types; longer text only makes a slower query.
SEARCH_TEXT_MAX_LENGTH = 200


class SearchTextField(forms.CharField):
    """Words to search for: any text up to 200 characters, but not a blank one."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SEARCH_TEXT_MAX_LENGTH)
        super().__init__(**kwargs)
        # Control characters, NUL included, are valid input: search ignores them.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def clean(self, value):
        if value is not None and not value.strip():
            raise forms.ValidationError("Give some words to search for.", code="blank")
        return super().clean(value)


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time that is still between years 1 and 9999 once moved to UTC."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and timezone.is_aware(value):
            # SQLite stores UTC, and 9999-12-31T23:00-05:00 has no UTC date it could store.
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:
                raise forms.ValidationError(
                    "Enter a date-time between the years 1 and 9999 in UTC.", code="invalid"
                ) from None
        return value


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    """Items changed at or after an ISO 8601 date-time."""

    field_class = UtcIsoDateTimeField

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(**kwargs)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sort as asked, then by primary key, so that equal values never shuffle between pages."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param not in EMPTY_VALUES]
        return qs.order_by(*ordering, "pk")
