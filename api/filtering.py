from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend

from api.problems import InvalidQueryParameters


class StrictFilterBackend(DjangoFilterBackend):
    """
    Filter lists with the view's FilterSet, and refuse query parameters nothing reads.

    A typo such as `?conditon=ptsd` would otherwise return every item and look like a
    working filter; here it is a 400 that names the parameter.
    """

    def filter_queryset(self, request, queryset, view):
        if not request.query_params and not self._requires_parameters(view):
            # Nothing to filter by and nothing to refuse: building the FilterSet and its form
            # would only cost time (each takes deep copies of its filters and fields).
            return queryset
        filterset = None if view.detail else self.get_filterset(request, queryset, view)
        unknown = sorted(set(request.query_params) - self._known_parameters(view, filterset))
        if unknown:
            raise InvalidQueryParameters(
                {name: ["This query parameter is not supported here."] for name in unknown}
            )
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise InvalidQueryParameters(utils.translate_validation(filterset.errors).detail)
        return filterset.qs

    def _requires_parameters(self, view):
        filterset_class = getattr(view, "filterset_class", None)
        return (
            not view.detail
            and any(
                filter_.extra.get("required") for filter_ in filterset_class.base_filters.values()
            )
            if filterset_class
            else False
        )

    def _known_parameters(self, view, filterset):
        if view.detail:
            return set()
        known = set(filterset.filters) if filterset is not None else set()
        paginator = view.paginator
        if paginator is not None:
            known |= {paginator.page_query_param, paginator.page_size_query_param}
        return known
