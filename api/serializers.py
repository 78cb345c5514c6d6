"""Bodies the API's plumbing returns: problem details and health."""

from rest_framework import serializers


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem details document."""

    type = serializers.CharField(help_text='A URI naming the problem type; "about:blank" here.')
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    instance = serializers.CharField(required=False, help_text="The request's path and query.")


class InvalidParamSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What is wrong with this value.")
    parameter = serializers.CharField(required=False, help_text="The query parameter's name.")
    pointer = serializers.CharField(
        required=False, help_text="JSON Pointer to the field in the request body."
    )


class ValidationProblemSerializer(ProblemSerializer):
    """A problem details document for invalid input, listing every offending value."""

    errors = InvalidParamSerializer(many=True)


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["ok"])
