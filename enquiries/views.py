import datetime
from uuid import uuid4

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from apibase.problems import InvalidQueryParameters, ServiceUnavailable
from enquiries.captcha import CaptchaUnavailable, captcha_enabled, captcha_verify
from enquiries.form_tokens import form_token_issue
from enquiries.models import SpamCount
from enquiries.serializers import (
    EnquiryCreateSerializer,
    EnquiryFormSerializer,
    EnquiryReceivedSerializer,
    enquiry_form,
)
from enquiries.services import enquiry_create, spam_count_increment

# The form's token is one person's, and an enquiry's answer is nobody else's: no browser, proxy
# or CDN may keep either.
NO_STORE = "no-store"
NO_STORE_HEADER = OpenApiParameter(
    "Cache-Control",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description="Always `no-store`: keep neither the form nor the answer.",
)


class AnonymousFormView(APIView):
    """Anonymous, uncached, and refusing query parameters as the rest of the API does."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.query_params:
            raise InvalidQueryParameters(
                {
                    name[:50]: ["This query parameter is not supported here."]
                    for name in sorted(request.query_params)[:10]
                }
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = NO_STORE
        return response


class EnquiryFormView(AnonymousFormView):
    """
    Get a new consultation form: a `form_token`, the fields and the privacy notice version.

    Fetch it when the form is shown (never cache it) and send `form_token` back with the
    enquiry. A form sent back sooner than `min_fill_seconds` after it was fetched is taken
    for a bot's; one sent after `expires_at` is a 400 naming `form_token`: fetch a new form
    and send the same answers again. When `captcha_provider` is not empty, show that
    provider's widget with `captcha_site_key` and send its token as `captcha_token`.
    """

    @extend_schema(
        operation_id="getEnquiryForm",
        summary="Get a consultation form",
        parameters=[NO_STORE_HEADER],
        responses={200: EnquiryFormSerializer},
        tags=["enquiries"],
    )
    def get(self, request):
        expires_at = timezone.now() + datetime.timedelta(
            seconds=settings.ENQUIRY_FORM_MAX_AGE_SECONDS
        )
        form = enquiry_form(form_token_issue(), expires_at)
        return Response(EnquiryFormSerializer(form).data)


class EnquiryCreateView(AnonymousFormView):
    """
    Send a consultation enquiry from the website's contact form.

    The answer is `202` with the enquiry's `id` only: nothing the person wrote is echoed.
    Give `email` or `phone` or both, and the one `preferred_contact` names; `consent` must
    be `true` and `privacy_notice_version` the form's. A 400 problem names each bad field
    by a JSON Pointer in `errors`, e.g. `/phone`; `/form_token` means the form expired or
    was not ours: fetch a new one and send again. Each client address may send a few
    enquiries an hour (`RateLimit` headers); over that, a 429 with `Retry-After`.
    """

    @extend_schema(
        operation_id="createEnquiry",
        summary="Send a consultation enquiry",
        request=EnquiryCreateSerializer,
        parameters=[NO_STORE_HEADER],
        responses={
            202: OpenApiResponse(
                EnquiryReceivedSerializer,
                description="Received; the clinic's staff will get in touch.",
                examples=[
                    OpenApiExample("Received", value={"id": "7f1d4c52-5b9e-4a59-9a3e-0c2b8e1f6d21"})
                ],
            ),
        },
        tags=["enquiries"],
    )
    @sensitive_variables()
    def post(self, request):
        if isinstance(request.data, dict) and request.data.get("website"):
            return self._discarded(SpamCount.Reason.HONEYPOT)
        serializer = EnquiryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if serializer.fill_seconds < settings.ENQUIRY_MIN_FILL_SECONDS:
            return self._discarded(SpamCount.Reason.TOO_FAST)
        if captcha_enabled():
            self._check_captcha(request, serializer.validated_data.get("captcha_token", ""))
        enquiry = enquiry_create(
            admin_url_for=lambda pk: request.build_absolute_uri(
                reverse("admin:enquiries_enquiry_change", args=[pk])
            ),
            **serializer.enquiry_fields(),
        )
        return Response({"id": enquiry.pk}, status=202)

    def _discarded(self, reason):
        """Answer as if received, so that a bot learns nothing; count it."""
        spam_count_increment(reason=reason)
        return Response({"id": uuid4()}, status=202)

    def _check_captcha(self, request, token):
        try:
            passed = captcha_verify(token, BaseThrottle().get_ident(request))
        except CaptchaUnavailable:
            raise ServiceUnavailable(
                "The CAPTCHA could not be checked. Try again in a few seconds."
            ) from None
        if not passed:
            raise serializers.ValidationError(
                {"captcha_token": ["The CAPTCHA was not passed. Try it again."]}
            )
