from functools import cache

from drf_spectacular.utils import extend_schema, extend_schema_view

from eximee.api.pagination import PageNumberPagination


def pages_of(serializer_class):
    """Documents a view's GET, answered by `paginated`, as a page of `serializer_class` items."""
    def document(view):
        view.pagination_class = PageNumberPagination  # read by the schema generator only
        return extend_schema_view(get=extend_schema(responses=serializer_class(many=True)))(view)
    return document


def paginated(view, request, queryset, serializer_class, extend=None):
    """One page of `queryset`; `extend(rows, items)` may add inlined data for the whole page at once."""
    paginator = PageNumberPagination()
    rows = paginator.paginate_queryset(queryset, request, view=view)
    items = serializer_class(rows, many=True).data
    if extend is not None:
        extend(rows, items)
    return paginator.get_paginated_response(items)


@cache
def _output_serializer(serializer_class):
    return serializer_class()


def represent(serializer_class, obj, many=False):
    """serializer_class(obj).data without DRF's deep copy of the declared fields for every serializer
    made: output fields keep no state between objects, so one serializer per class serves all."""
    serializer = _output_serializer(serializer_class)
    return [serializer.to_representation(item) for item in obj] if many else serializer.to_representation(obj)


def valid(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
