from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from enquiries.captcha import captcha_enabled
from enquiries.form_tokens import FormTokenInvalid, form_token_age
from enquiries.models import (
    MESSAGE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PREFERRED_TIME_MAX_LENGTH,
    Enquiry,
)
from enquiries.phones import phone_e164
from taxonomy.models import Condition

EMAIL_OR_PHONE = "Give an email address or a phone number, or both."


def _printable(name):
    """A field name as it can be named in an error: shortened, lone surrogates replaced."""
    return name[:50].encode("utf-8", "replace").decode()


@extend_schema_field({"type": "boolean", "enum": [True]})
class ConsentField(serializers.BooleanField):
    """The consent box: only `true` is an answer the form takes, and the schema says so."""


class ConditionChoiceField(serializers.SlugRelatedField):
    """
    A condition slug the person picked from the form's list: one that is not there is invalid
    input (400) like any other field of the form, not a conflict with stored content (409).
    """

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            messages = [str(message) for message in error.detail]
            raise serializers.ValidationError(messages, code="invalid") from None


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An enquiry",
            value={
                "name": "Alex Example",
                "email": "alex@example.com",
                "phone": "",
                "preferred_contact": "email",
                "preferred_time": "Weekday mornings",
                "condition": "depression",
                "message": "I would like to know whether a consultation is right for me.",
                "consent": True,
                "privacy_notice_version": "1",
                # An example of the format, signed by no key.
                "form_token": "eyJpc3N1ZWQiOjE3NjQ0OTc2MDAuMH0:1vPf2k:Q0xlbnRfZXhhbXBsZQ",  # nosec B105
                "website": "",
            },
            request_only=True,
        )
    ]
)
class EnquiryCreateSerializer(serializers.Serializer):
    """What the contact form sends. Unknown fields are refused, so typos surface."""

    KEPT = (
        "name",
        "email",
        "phone",
        "preferred_contact",
        "preferred_time",
        "condition",
        "message",
        "privacy_notice_version",
    )

    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="Any common notation; numbers without a country code are read as in the "
        "clinic's country. Stored as E.164.",
    )
    # Error messages here never repeat what was sent: it may be personal, or not even
    # encodable (a lone surrogate in the JSON).
    preferred_contact = serializers.ChoiceField(
        choices=Enquiry.PreferredContact.choices,
        error_messages={"invalid_choice": "Choose email or phone."},
        help_text="How the person wants to be contacted; that email or phone must be given.",
    )
    preferred_time = serializers.CharField(
        required=False, allow_blank=True, max_length=PREFERRED_TIME_MAX_LENGTH
    )
    condition = ConditionChoiceField(
        slug_field="slug",
        queryset=Condition.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": "No condition has this slug."},
        help_text="Slug of a condition from `/api/v1/conditions/`.",
    )
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MESSAGE_MAX_LENGTH,
        help_text="Free text. Ask people not to include medical details.",
    )
    consent = ConsentField(help_text="Must be `true`.")
    privacy_notice_version = serializers.CharField(
        max_length=20,
        help_text="The `privacy_notice_version` of the form the person saw and agreed to.",
    )
    form_token = serializers.CharField(
        max_length=500, help_text="The `form_token` of `GET /api/v1/enquiries/form/`."
    )
    website = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Hidden from people (the honeypot): send it empty, or leave it out.",
    )
    captcha_token = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4096,
        help_text="The CAPTCHA widget's token, when the form's `captcha_provider` is not empty.",
    )

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, dict):
            unknown = {
                _printable(name): ["This field is not part of the form."]
                for name in sorted(set(data) - set(self.fields))[:10]
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if unknown and isinstance(error.detail, dict):
                raise serializers.ValidationError({**unknown, **error.detail}) from None
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

    def validate_phone(self, value):
        if not value:
            return ""
        number = phone_e164(value)
        if number is None:
            raise serializers.ValidationError(
                "Enter a valid phone number, with its country code if it is outside "
                f"{settings.ENQUIRY_PHONE_REGION}."
            )
        return number

    def validate_consent(self, value):
        if value is not True:
            raise serializers.ValidationError("Consent is needed to send the enquiry.")
        return value

    def validate_privacy_notice_version(self, value):
        current = settings.ENQUIRY_PRIVACY_NOTICE_VERSION
        if value != current:
            raise serializers.ValidationError(
                f"The privacy notice is now version {current}: show it and ask for consent again."
            )
        return value

    def validate_form_token(self, value):
        try:
            self.fill_seconds = form_token_age(value)
        except FormTokenInvalid as error:
            raise serializers.ValidationError(str(error)) from None
        return value

    def enquiry_fields(self):
        """The validated fields an enquiry keeps; the others only served to check the form."""
        return {name: value for name, value in self.validated_data.items() if name in self.KEPT}

    def validate(self, attrs):
        errors = {}
        if not attrs.get("email") and not attrs.get("phone"):
            errors = {"email": [EMAIL_OR_PHONE], "phone": [EMAIL_OR_PHONE]}
        else:
            channel = attrs["preferred_contact"]
            if not attrs.get(channel):
                errors["preferred_contact"] = [f"Give a {channel} to be contacted by {channel}."]
        if captcha_enabled() and not attrs.get("captcha_token"):
            errors["captcha_token"] = ["Complete the CAPTCHA."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class EnquiryReceivedSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The enquiry's reference; nothing else is echoed.")


class EnquiryFormFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.ChoiceField(
        choices=["string", "email", "phone", "boolean", "choice", "slug"],
        help_text="`slug` takes the slug of an item of `/api/v1/conditions/`.",
    )
    required = serializers.BooleanField()
    max_length = serializers.IntegerField(allow_null=True)
    choices = serializers.ListField(child=serializers.CharField(), allow_null=True)


class EnquiryFormSerializer(serializers.Serializer):
    form_token = serializers.CharField(
        help_text="Send it back as `form_token`. Valid from `min_fill_seconds` after it was "
        "issued until `expires_at`."
    )
    expires_at = serializers.DateTimeField()
    min_fill_seconds = serializers.IntegerField()
    privacy_notice_version = serializers.CharField(
        help_text="Show this version of the privacy notice; send it back with the consent."
    )
    fields = EnquiryFormFieldSerializer(many=True, help_text="The fields the enquiry takes.")
    captcha_provider = serializers.ChoiceField(
        choices=["turnstile", "hcaptcha"],
        allow_blank=True,
        help_text="The CAPTCHA widget to show (its token goes in `captcha_token`), or empty "
        "when none is needed.",
    )
    captcha_site_key = serializers.CharField(
        allow_blank=True, help_text="The widget's site key; empty without a CAPTCHA."
    )


def _field_type(name, field):
    if name == "phone":
        return "phone"
    if isinstance(field, serializers.EmailField):
        return "email"
    if isinstance(field, serializers.BooleanField):
        return "boolean"
    if isinstance(field, serializers.ChoiceField):
        return "choice"
    if isinstance(field, serializers.SlugRelatedField):
        return "slug"
    return "string"


# What a person fills in; the script adds form_token, privacy_notice_version, an empty website
# and, with a CAPTCHA, captcha_token.
PERSON_FIELDS = (
    "name",
    "email",
    "phone",
    "preferred_contact",
    "preferred_time",
    "condition",
    "message",
    "consent",
)


def enquiry_form(token, expires_at):
    """Describe a new form: its token, its fields and the notice the person agrees to."""
    fields = EnquiryCreateSerializer().fields
    provider = settings.ENQUIRY_CAPTCHA_PROVIDER
    return {
        "form_token": token,
        "expires_at": expires_at,
        "min_fill_seconds": settings.ENQUIRY_MIN_FILL_SECONDS,
        "privacy_notice_version": settings.ENQUIRY_PRIVACY_NOTICE_VERSION,
        "fields": [
            {
                "name": name,
                "type": _field_type(name, fields[name]),
                # Email and phone are each optional, but one of them is needed.
                "required": fields[name].required,
                "max_length": getattr(fields[name], "max_length", None),
                "choices": list(fields[name].choices)
                if isinstance(fields[name], serializers.ChoiceField)
                else None,
            }
            for name in PERSON_FIELDS
        ],
        "captcha_provider": provider,
        "captcha_site_key": settings.ENQUIRY_CAPTCHA_SITE_KEY if provider else "",
    }
