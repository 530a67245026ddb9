from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&pageSize=M` -> {"count", "next", "previous", "results"}. Querysets given to it must
    have a stable order (a unique column last), or pages may repeat or skip rows."""

    page_size_query_param = "pageSize"
    max_page_size = 500
