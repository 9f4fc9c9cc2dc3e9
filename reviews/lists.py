"""Every list page the same way: filtered, sorted and paged in the database, the choices kept in the address.

A list page gives `list_page` its queryset, a django-filter FilterSet for its filters and the
sorts it allows. The page of rows comes back with everything the templates need: the filter
form (`includes/filter_form.html`), the sortable column headers (`includes/sort_header.html`),
the count of all matches and the GOV.UK pagination (`includes/pagination.html`). Only the rows
of the page are read, so a page costs the same at ten rows or ten thousand.
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet

PAGE_SIZE = 50


@dataclass(frozen=True)
class Sort:
    """A column the list can be sorted by: its key in the address, its label, the fields it orders by.

    A field is a name or an expression; a name with a leading "-" runs the other way (newest
    first when ascending). The primary key always ends the order, so that paging never shows a
    row twice or skips one.
    """

    key: str
    label: str
    fields: tuple


@dataclass
class Column:
    key: str
    label: str
    url: str
    current: bool
    descending: bool

    @property
    def aria_sort(self) -> str:
        if not self.current:
            return "none"
        return "descending" if self.descending else "ascending"


@dataclass
class ListPage:
    page: Page
    query: str
    filters: object = None
    sort: Sort | None = None
    descending: bool = False
    columns: list[Column] = field(default_factory=list)

    @property
    def rows(self):
        return self.page.object_list

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def order(self) -> str:
        return "desc" if self.descending else "asc"

    @property
    def hidden(self) -> dict[str, str]:
        """The sort to keep when the filter form is submitted."""
        return {"sort": self.sort.key, "order": self.order} if self.sort else {}


def paginate(request, queryset, *, per_page: int = PAGE_SIZE, keep=None):
    """Return the requested page of `queryset` and the query string that keeps the other parameters.

    `keep` names the parameters the page's links carry on (by default all but the page number).
    """
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    # GOV.UK's pagination: the first and last pages, and one either side of the current one.
    page.numbers = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return page, _kept(request, keep, drop={"page"}).urlencode()


def _kept(request, keep, *, drop):
    kept = request.GET.copy()
    for name in list(kept):
        if name in drop or (keep is not None and name not in keep):
            del kept[name]
    return kept


def _ordering(fields, descending):
    ordering = []
    for name in (*fields, "pk"):
        reverse = isinstance(name, str) and name.startswith("-")
        expression = F(name.lstrip("-")) if isinstance(name, str) else name
        if reverse != descending:
            ordering.append(expression.desc(nulls_last=True))
        else:
            ordering.append(expression.asc(nulls_last=True))
    return ordering


def list_queryset(
    request,
    queryset: QuerySet,
    *,
    filterset_class=None,
    filterset_kwargs=None,
    sorts: tuple[Sort, ...] = (),
    default_sort: str | None = None,
    default_descending: bool = False,
):
    """Return `queryset` filtered and sorted as the request asks, with the filter form and the sort.

    What a list page shows a page of, and what its exports write whole.
    """
    filters = None
    if filterset_class is not None:
        filterset = filterset_class(request.GET or None, queryset=queryset, **(filterset_kwargs or {}))
        queryset = filterset.qs
        filters = filterset.form
    by_key = {sort.key: sort for sort in sorts}
    sort = by_key.get(request.GET.get("sort")) or by_key.get(default_sort)
    descending = sort is not None and sort.key == default_sort and default_descending
    if sort is not None:
        if request.GET.get("sort") == sort.key and request.GET.get("order") in {"asc", "desc"}:
            descending = request.GET["order"] == "desc"
        queryset = queryset.order_by(*_ordering(sort.fields, descending))
    return queryset, filters, sort, descending


def list_page(
    request,
    queryset: QuerySet,
    *,
    filterset_class=None,
    filterset_kwargs=None,
    sorts: tuple[Sort, ...] = (),
    default_sort: str | None = None,
    default_descending: bool = False,
    per_page: int = PAGE_SIZE,
) -> ListPage:
    """Filter, sort and page `queryset` as the request's query string asks, within what is allowed.

    Unknown sorts fall back to the default, filter values that are not among the choices are
    ignored, and a page number out of range gives the last page: an edited address never fails.
    """
    queryset, filters, sort, descending = list_queryset(
        request,
        queryset,
        filterset_class=filterset_class,
        filterset_kwargs=filterset_kwargs,
        sorts=sorts,
        default_sort=default_sort,
        default_descending=default_descending,
    )
    # Links carry on the list's own parameters only: anything else in the address stays behind.
    keep = {"sort", "order"} | (set(filters.fields) if filters is not None else set())
    page, query = paginate(request, queryset, per_page=per_page, keep=keep)

    kept = _kept(request, keep, drop={"page", "sort", "order"})
    columns = []
    for option in sorts:
        current = sort is not None and option.key == sort.key
        link = kept.copy()
        link["sort"] = option.key
        link["order"] = "asc" if current and descending else ("desc" if current else "asc")
        columns.append(
            Column(
                key=option.key,
                label=option.label,
                url=f"?{link.urlencode()}",
                current=current,
                descending=current and descending,
            )
        )
    return ListPage(
        page=page, query=query, filters=filters, sort=sort, descending=descending, columns=columns
    )
