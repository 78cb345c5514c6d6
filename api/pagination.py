"""Pagination of every list: page numbers, malformed values refused with a 400 problem."""

from rest_framework import exceptions, pagination

from apibase.problems import InvalidQueryParameters


class PageNumberPagination(pagination.PageNumberPagination):
    """Page numbers with `page_size` up to 100; malformed values are refused, not ignored."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return self._positive_int(
            raw,
            self.page_size_query_param,
            f"must be a whole number from 1 to {self.max_page_size}",
        )

    def paginate_queryset(self, queryset, request, view=None):
        raw_page = request.query_params.get(self.page_query_param)
        if raw_page is not None:
            self._positive_int(raw_page, self.page_query_param, "must be a whole number from 1")
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            raise exceptions.NotFound(f"Page {raw_page} does not exist.") from None

    def _positive_int(self, raw, name, message):
        try:
            value = int(raw)
        except ValueError:
            value = 0
        limit = self.max_page_size if name == self.page_size_query_param else None
        if not (raw.isascii() and raw.isdigit()) or value < 1 or (limit and value > limit):
            raise InvalidQueryParameters({name: [f"{name} {message}, not {raw[:40]!r}."]})
        return value

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = (
                    f"Items per page, 1 to {self.max_page_size}; default {self.page_size}."
                )
        return parameters
