"""When what readers see next changes by the clock alone.

Articles, Editor's Choice slots, galleries, films and maps appear and disappear
at scheduled times with no job running then: visibility is decided by the clock
at query time. Whatever is cached from them (the site-wide blocks, rendered
fragments: web/fragments.py) must expire at the next such moment.
"""

from datetime import datetime

from articles.models import Article, EditorsChoice
from media.models import Film, Map, PhotoGallery


def next_scheduled_change(now: datetime) -> datetime | None:
    """Return when what readers see next changes by the clock (a publish or expiry time).

    One query: the earliest future time of each kind, in a UNION ALL.
    """
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    timed = [
        (published, "publish_at"),
        (published, "unpublish_at"),
        (EditorsChoice.objects.all(), "until"),
        *(
            (model.objects.filter(status=model.Status.PUBLISHED), field)
            for model in (PhotoGallery, Film, Map)
            for field in ("publish_at", "unpublish_at")
        ),
    ]
    first_of_each = [
        queryset.filter(**{f"{field}__gt": now}).order_by(field).values_list(field)[:1]
        for queryset, field in timed
    ]
    times = first_of_each[0].union(*first_of_each[1:], all=True)
    return min((at for (at,) in times), default=None)
