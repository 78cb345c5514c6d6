from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from webhooks.models import WebhookEndpoint
from webhooks.permissions import StaffModelPermissions
from webhooks.serializers import WebhookEndpointCreatedSerializer, WebhookEndpointSerializer

NEEDS = "Needs a staff account with the webhook endpoint permission"


@extend_schema_view(
    list=extend_schema(summary="List webhook endpoints", description=f"{NEEDS} (view)."),
    retrieve=extend_schema(summary="Get a webhook endpoint", description=f"{NEEDS} (view)."),
    create=extend_schema(
        summary="Create a webhook endpoint",
        description=f"{NEEDS} (add). The answer carries the signing `secret`, shown only "
        "this once. Events are signed as the Standard Webhooks specification says.",
        responses={201: WebhookEndpointCreatedSerializer},
    ),
    update=extend_schema(summary="Replace a webhook endpoint", description=f"{NEEDS} (change)."),
    partial_update=extend_schema(
        summary="Change a webhook endpoint", description=f"{NEEDS} (change)."
    ),
    destroy=extend_schema(
        summary="Delete a webhook endpoint",
        description=f"{NEEDS} (delete). Its delivery log goes with it.",
        responses={204: OpenApiResponse(description="Deleted.")},
    ),
)
class WebhookEndpointViewSet(viewsets.ModelViewSet):
    """Addresses sent signed events when public content is published, changed or removed."""

    queryset = WebhookEndpoint.objects.all()
    serializer_class = WebhookEndpointSerializer
    permission_classes = [StaffModelPermissions]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = serializer.save()
        return Response(WebhookEndpointCreatedSerializer(endpoint).data, status=201)
