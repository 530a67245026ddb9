from eximee.api.pagination import PageNumberPagination


def paginated(view, request, queryset, serializer_class, extend=None):
    """One page of `queryset`; `extend(rows, items)` may add inlined data for the whole page at once."""
    paginator = PageNumberPagination()
    rows = paginator.paginate_queryset(queryset, request, view=view)
    items = serializer_class(rows, many=True).data
    if extend is not None:
        extend(rows, items)
    return paginator.get_paginated_response(items)


def valid(serializer_class, data, **kwargs):
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
