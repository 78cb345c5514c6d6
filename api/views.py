from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import HealthSerializer


class HealthView(APIView):
    """Answer whether the process is up; it touches no database or cache."""

    filter_backends = ()

    @extend_schema(summary="Liveness probe", responses=HealthSerializer, tags=["health"])
    def get(self, request):
        return Response({"status": "ok"})
