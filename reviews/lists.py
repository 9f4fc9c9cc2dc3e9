"""Paging a list the same way on every page: a bounded page size, the page number kept with the filters."""

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, queryset, *, per_page: int = PAGE_SIZE):
    """Return the requested page of `queryset` and the query string that keeps the other parameters."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    # GOV.UK's pagination: the first and last pages, and one either side of the current one.
    page.numbers = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    kept = request.GET.copy()
    kept.pop("page", None)
    return page, kept.urlencode()
