"""Pages of lists (articles, galleries, films, maps) without an exact count or a deep OFFSET.

At 100,000 articles an exact COUNT(*) per request cost 29 ms on a topic page (a
join), and page 4,000 of the archive 16 ms of counting plus 13 ms of OFFSET. So:

- nothing is counted: a page reads one row more than it shows to know whether
  an older page exists (even a count bounded to three pages' rows cost as much as
  the page itself on a tag page: walking the date index, it probed one link per
  article to find one article in a hundred);
- the first NUMBERED_PAGES pages keep their numbers (?page=N), read by a deferred
  join past page 1 (ids from the index first, then twenty rows);
- past them, pages are "older than article X" (?before=X) or "newer than X"
  (?after=X), read straight off the (publish_at, id) index however deep;
- an old ?page=N link past the numbered pages is walked once and redirected to
  its ?before= address, so links and bookmarks keep working.

Lists ordered by another copy of the publish time (tag and topic pages read their
list entries' copy, `ArticleQuerySet.listed_under`) name it as `order_field`, so
the keyset bounds fall on the index that gives the order.
"""

from dataclasses import dataclass

from django.db.models import Q, Subquery
from django.http import Http404

from web.numbers import parse_number

NUMBERED_PAGES = 10
# A page number past this names no page of any list: 404 without a query.
MOST_PAGE = 999_999_999


class PageMoved(Exception):
    """The page asked for lives at another address (the query string given)."""

    def __init__(self, query: str):
        super().__init__(query)
        self.query = query


@dataclass
class ListPage:
    object_list: list
    number: int | None  # None on pages addressed by article (?before=/?after=)
    previous_query: str = ""
    next_query: str = ""

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_query)

    @property
    def has_next(self) -> bool:
        return bool(self.next_query)

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def nearby(self) -> list[int]:
        """Return the numbers of the pages around this one known to exist."""
        if self.number is None:
            return []
        last = self.number + 1 if self.has_next and self.number < NUMBERED_PAGES else self.number
        return list(range(max(1, self.number - 2), last + 1))


def paginate(queryset, params, per_page: int, order_field: str = "publish_at") -> ListPage:
    """Return the page of `queryset` (newest first) that the query `params` ask for.

    `queryset` is ordered by `order_field` then pk, both descending. Raises
    Http404 for bad or missing pages, PageMoved for old deep page numbers.
    """
    if "before" in params or "after" in params:
        return _keyset_page(queryset, params, per_page, order_field)
    raw = params.get("page") or "1"
    if raw == "last":
        return _oldest_page(queryset, per_page, order_field)
    number = parse_number(raw, most=MOST_PAGE)
    if number is None:
        raise Http404("No such page")
    if number > NUMBERED_PAGES:
        raise PageMoved(_moved_query(queryset, number, per_page))
    if number == 1:
        # Nothing to skip: the rows straight away. The deferred join would plan the
        # list's joins twice (1.9 of 2.3 ms on the busiest tag's page at 100k).
        rows = list(queryset[: per_page + 1])
    else:
        offset = (number - 1) * per_page
        page_ids = queryset.values("pk")[offset : offset + per_page + 1]
        rows = list(queryset.filter(pk__in=Subquery(page_ids)))
    if not rows and number > 1:
        raise Http404("No such page")
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not more:
        next_query = ""
    elif number < NUMBERED_PAGES:
        next_query = f"page={number + 1}"
    else:
        next_query = f"before={rows[-1].pk}"
    previous_query = f"page={number - 1}" if number > 1 else ""
    return ListPage(rows, number, previous_query, next_query)


def _moved_query(queryset, number: int, per_page: int) -> str:
    # Walks the index once, as the old offset pages did on every request.
    try:
        last_of_previous = queryset.values_list("pk", flat=True)[(number - 1) * per_page - 1]
    except IndexError:
        raise Http404("No such page") from None
    return f"before={last_of_previous}"


def _cursor(queryset, raw: str, order_field: str):
    pk = parse_number(raw)
    if pk is None:
        raise Http404("No such page")
    # Only an article of this very list: any other id tells nothing about itself.
    found = queryset.filter(pk=pk).order_by().values_list(order_field, "pk").first()
    if found is None or found[0] is None:
        raise Http404("No such page")
    return found


def _keyset_page(queryset, params, per_page: int, order_field: str) -> ListPage:
    at = order_field
    if "before" in params:
        publish_at, pk = _cursor(queryset, params["before"], at)
        # publish_at <= X bounds the index range; the OR only settles ties on X.
        older = queryset.filter(**{f"{at}__lte": publish_at}).filter(
            Q(**{f"{at}__lt": publish_at}) | Q(pk__lt=pk)
        )
        rows = list(older[: per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page]
        if not rows:
            raise Http404("No such page")
        return ListPage(
            rows,
            None,
            previous_query=f"after={rows[0].pk}",
            next_query=f"before={rows[-1].pk}" if more else "",
        )
    publish_at, pk = _cursor(queryset, params["after"], at)
    newer = queryset.filter(**{f"{at}__gte": publish_at}).filter(
        Q(**{f"{at}__gt": publish_at}) | Q(pk__gt=pk)
    )
    rows = list(newer.order_by(at, "pk")[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page][::-1]
    if not rows:
        raise Http404("No such page")
    if not more:
        # The newest articles: page 1, at its own address.
        raise PageMoved("")
    return ListPage(
        rows, None, previous_query=f"after={rows[0].pk}", next_query=f"before={rows[-1].pk}"
    )


def _oldest_page(queryset, per_page: int, order_field: str) -> ListPage:
    rows = list(queryset.order_by(order_field, "pk")[: per_page + 1])[::-1]
    if len(rows) <= per_page:  # all of it fits on page 1
        raise PageMoved("")
    rows = rows[1:]
    return ListPage(rows, None, previous_query=f"after={rows[0].pk}")
