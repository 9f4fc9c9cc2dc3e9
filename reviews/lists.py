"""Paging a list the same way on every page: a bounded page size, the page number kept with the filters."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, queryset, *, per_page: int = PAGE_SIZE):
    """Return the requested page of `queryset` and the query string that keeps the other parameters."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return page, kept.urlencode()
