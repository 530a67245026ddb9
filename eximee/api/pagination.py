from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

# PostgreSQL's OFFSET is a bigint: a page number beyond it would be a database error, not a 404.
_MAX_OFFSET = 2**63 - 1


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&pageSize=M` -> {"count", "countExact", "next", "previous", "results"}. Querysets given
    to it must have a stable order (a unique column last), or pages may repeat or skip rows.

    `count` is exact up to `count_limit` matching rows; beyond, it is `count_limit` and `countExact`
    is false. Counting every match of a filtered list over a large history costs as much as reading
    it all, on every page (a variable filter over 100,000 open tasks: ~100 ms of three PostgreSQL
    processes per request); counting up to the limit costs what reading a few pages does. `next` is
    known without counting: each page reads one row more than it returns."""

    page_size_query_param = "pageSize"
    max_page_size = 500
    count_limit = 1000
    template = None   # no browsable API: its page links need the last page number

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        self.number = self._page_number(request, queryset, size)
        offset = (self.number - 1) * size
        if offset + size >= _MAX_OFFSET:
            raise NotFound(self.invalid_page_message)
        rows = list(queryset[offset:offset + size + 1])
        if not rows and self.number > 1:
            raise NotFound(self.invalid_page_message)
        self.has_next = len(rows) > size
        rows = rows[:size]
        if not self.has_next:
            counted = offset + len(rows)
        elif offset + size >= self.count_limit:
            counted = self.count_limit + 1   # this page already shows more than the limit
        else:
            counted = queryset.order_by()[:self.count_limit + 1].count()   # any order counts the same
        self.count_exact = counted <= self.count_limit
        self.count = min(counted, self.count_limit)
        return rows

    def _page_number(self, request, queryset, size):
        raw = request.query_params.get(self.page_query_param) or "1"
        if raw in self.last_page_strings:   # the caller asked for the last page by name: count it all
            return max(1, -(-queryset.count() // size))
        try:
            number = int(raw)
        except ValueError:
            raise NotFound(self.invalid_page_message) from None
        if number < 1:
            raise NotFound(self.invalid_page_message)
        return number

    def get_paginated_response(self, data):
        return Response({"count": self.count, "countExact": self.count_exact, "next": self.get_next_link(),
                         "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"]["description"] = (
            f"Matching items, counted up to {self.count_limit}; when countExact is false, at least this many.")
        described["properties"]["countExact"] = {
            "type": "boolean", "description": f"False when more than {self.count_limit} items match."}
        described["required"] = [*described["required"], "countExact"]
        return described

    def get_next_link(self):
        if not self.has_next:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)
