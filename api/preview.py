"""The preview endpoint: an entry in any state, shown to the holder of an admin's preview link."""

from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from content import registry
from editorial.preview import PreviewTokenExpired, PreviewTokenInvalid, read_preview_token


class PreviewView(APIView):
    """
    Answer a preview link from the admin with the entry as its detail endpoint would show it.

    The entry may be a draft, in review, scheduled or archived. The link expires (one hour by
    default); the answer is never cached.
    """

    filter_backends = ()

    @extend_schema(
        summary="Preview an entry in any state",
        operation_id="previewEntry",
        tags=["preview"],
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="PreviewEntry",
                    serializers=lambda: {
                        content_type.name: content_type.detail_serializer
                        for content_type in registry.content_types()
                    },
                    resource_type_field_name="type",
                ),
                description="The entry's detail representation: an article, FAQ, research "
                "summary or glossary entry, as its detail endpoint shows it.",
            ),
        },
    )
    def get(self, request, token):
        try:
            entry = read_preview_token(token)
        except PreviewTokenExpired:
            raise Gone("This preview link has expired; open a new one from the admin.") from None
        except PreviewTokenInvalid:
            raise exceptions.NotFound("This preview link is not valid.") from None
        serializer = registry.for_model(entry).detail_serializer(
            entry, context={"request": request}
        )
        return Response(serializer.data, headers={"Cache-Control": "private, no-store"})


class Gone(exceptions.APIException):
    status_code = 410
    default_detail = "Gone."
