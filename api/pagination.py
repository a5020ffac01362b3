"""Pages of 25, as on the list pages: a page number past the end (or not a
number) gives the last (or first) page, never an error."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 25

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.page_size)
        self.page = paginator.get_page(request.query_params.get(self.page_query_param))
        return list(self.page)
