"""The filter backend of every list: the view's FilterSet, unknown query parameters refused, and
`?fields=` where the view's policy allows it."""

from django_filters import utils
from django_filters.filters import BaseCSVFilter
from django_filters.rest_framework import DjangoFilterBackend

from api.policies import policy_of
from apibase.problems import InvalidQueryParameters
from entries.readonly import FIELDS_PARAMETER, requested_fields


def supports_field_selection(view):
    """Whether the view is a list that takes `?fields=` (the SelectableFields policy)."""
    return policy_of(view).selectable_fields and not view.detail


def selectable_fields(view):
    """Return the names `?fields=` may ask for: every field of a list item, in order."""
    return list(view.get_serializer_class().Meta.fields)


class StrictFilterBackend(DjangoFilterBackend):
    """
    Filter lists with the view's FilterSet, and refuse query parameters nothing reads.

    A typo such as `?conditon=ptsd` would otherwise return every item and look like a
    working filter; here it is a 400 that names the parameter. `?fields=` is checked here
    too, where the view takes it; the view then reads and shows only the fields asked for.
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
        errors = self._empty_values(request, filterset)
        if filterset is not None and not filterset.is_valid():
            errors = {**utils.translate_validation(filterset.errors).detail, **errors}
        if FIELDS_PARAMETER in request.query_params:
            _fields, fields_errors = requested_fields(request, selectable_fields(view))
            if fields_errors:
                errors[FIELDS_PARAMETER] = fields_errors
        if errors:
            raise InvalidQueryParameters(errors)
        if filterset is not None:
            queryset = filterset.qs
        return queryset

    def _empty_values(self, request, filterset):
        """Refuse `?topic=` and `?topic=a,`: an empty value is a mistake, not "any"."""
        errors = {}
        for name, filter_ in filterset.filters.items() if filterset is not None else ():
            for value in request.query_params.getlist(name):
                parts = value.split(",") if isinstance(filter_, BaseCSVFilter) else [value]
                if any(not part.strip() for part in parts):
                    errors[name] = ["Give a value, or leave the parameter out."]
        return errors

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
        # Parameters of every action of the view, such as the language (content/views.py).
        known = set(getattr(view, "query_parameters", ()))
        if view.detail:
            return known
        known |= set(filterset.filters) if filterset is not None else set()
        if supports_field_selection(view):
            known.add(FIELDS_PARAMETER)
        paginator = view.paginator
        if paginator is not None:
            known |= {paginator.page_query_param, paginator.page_size_query_param}
        return known
