from django.core.paginator import Paginator
from django.db.models import Subquery


class DeferredJoinPaginator(Paginator):
    """Paginate by picking the page's ids first, then loading only those rows.

    A plain OFFSET makes PostgreSQL fetch and discard every earlier row in full;
    page 5,000 of a 100,000-article archive then reads the whole table. The id
    subquery walks the index alone, and the outer query loads twenty rows.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        page_ids = self.object_list.values("pk")[bottom:top]
        rows = self.object_list.filter(pk__in=Subquery(page_ids))
        return self._get_page(rows, number, self)
