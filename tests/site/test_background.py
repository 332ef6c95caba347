"""Readers never compute: `manage.py run_background` stores what their pages read."""

import threading
from datetime import timedelta
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alwaght import background
from alwaght.background import lock_id, photos_in_use, run_jobs
from alwaght.management.commands import run_background
from articles.models import Article, RelatedList
from cdn.keys import keys_for
from popularity.models import MostViewedList
from popularity.services import article_view_record
from tests.factories import (
    make_article,
    make_author,
    make_gallery,
    make_photo,
    make_related,
    make_topic,
)
from web.scopes import photo_scope

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def build_site(article_count):
    photo = make_photo(size=(700, 400))
    articles = []
    for number in range(article_count):
        article = make_article(title=f"Story {number}", tags=["Water"], photo=photo)
        article_view_record(article_id=article.pk)
        articles.append(article)
    make_related(articles[0], articles[-1])
    return articles


def rendition_files(media_root) -> list[Path]:
    return list(Path(media_root).glob("renditions/**/*.*"))


def run(*jobs, **options):
    out, err = StringIO(), StringIO()
    call_command("run_background", *jobs, stdout=out, stderr=err, **options)
    return out.getvalue()


@pytest.mark.parametrize("article_count", [5, 50])
# (front page, article page) queries: with no stored Most Viewed list there is
# nothing to fetch (on either page: the article page renders its side blocks); a
# missing Related Content list costs what a stored one does
# (the picks, or the stored ids, read by the column's one statement of lists:
# articles/pages.py article_lists). The article page asks the next
# scheduled change no more: the front page stored it (articles/schedule.py). It reads
# the article once, with its tags and topics inside the row (`with_detail()`).
@pytest.mark.parametrize(("stored", "queries"), [("missing", (11, 11)), ("stale", (12, 12))])
def test_a_readers_page_computes_nothing_and_writes_nothing(
    client, django_assert_num_queries, settings, article_count, stored, queries
):
    articles = build_site(article_count)
    if stored == "stale":  # stored long ago, by a job that has stopped since
        run("--job=most_viewed", "--job=related")
        long_ago = timezone.now() - timedelta(days=2)
        MostViewedList.objects.update(computed_at=long_ago)
        RelatedList.objects.update(computed_at=long_ago)
        cache.clear()
    else:
        RelatedList.objects.all().delete()
    urls = [reverse("articles:front"), articles[0].get_absolute_url()]
    for url, expected in zip(urls, queries, strict=True):
        with django_assert_num_queries(expected) as captured:
            assert client.get(url).status_code == 200

        sql = [query["sql"] for query in captured.captured_queries]
        assert not [statement for statement in sql if statement.lstrip().startswith(WRITES)]
        assert not [statement for statement in sql if "popularity_viewcount" in statement]
        assert not [statement for statement in sql if "AS shared" in statement]  # scoring
    assert rendition_files(settings.MEDIA_ROOT) == []
    assert (
        RelatedList.objects.filter(computed_at__gt=timezone.now() - timedelta(days=1)).count() == 0
    )


def test_a_new_site_shows_empty_lists_picks_and_original_photos(client):
    articles = build_site(3)
    RelatedList.objects.all().delete()

    html = client.get(articles[0].get_absolute_url()).content.decode()

    related = html[html.index('id="related-heading"') :]
    related = related[: related.index("</section>")]
    assert articles[-1].title in related  # the editors' pick
    assert articles[1].title not in related  # scoring waits for the job
    photo = articles[0].photo
    assert f'data-photo="{photo.pk}"><img src="{photo.image.url}" width="700" height="400"' in html
    assert "/renditions/" not in html
    # A CDN still purges this page when the photo changes.
    assert photo_scope(photo.pk) in keys_for(articles[0].get_absolute_url(), html)


def test_the_command_stores_exactly_what_readers_then_see(client, settings):
    articles = build_site(3)
    for _ in range(4):
        article_view_record(article_id=articles[1].pk)
    RelatedList.objects.all().delete()

    out = run()

    for job in ("most_viewed", "related", "renditions", "view_counts"):
        assert f"{job}: done" in out
    stored = MostViewedList.objects.get(language="en", period="day").ids
    assert stored[0] == articles[1].pk and set(stored) == {a.pk for a in articles}
    front = client.get(reverse("articles:front")).content.decode()
    tab = front[front.index('id="most-viewed-day"') :]
    assert min(articles, key=lambda article: tab.index(article.title)) == articles[1]
    page = client.get(articles[0].get_absolute_url()).content.decode()
    related = page[
        page.index('id="related-heading"') : page.index(
            "</section>", page.index('id="related-heading"')
        )
    ]
    assert articles[-1].title in related and articles[1].title in related
    # Every rendition the pages point to was made by the command.
    made = {
        f"{settings.MEDIA_URL}{path.relative_to(settings.MEDIA_ROOT)}"
        for path in rendition_files(settings.MEDIA_ROOT)
    }
    srcset = page.split('srcset="')[1].split('"')[0]
    shown = {candidate.split()[0] for candidate in srcset.split(", ")}
    assert shown and shown <= made


def test_renditions_are_made_for_photos_that_visible_content_shows():
    shown, hidden, unused = make_photo(), make_photo(), make_photo()
    gallery_photo, author_photo, topic_photo = make_photo(), make_photo(), make_photo()
    make_article(photo=shown)
    make_article(photo=hidden, status=Article.Status.DRAFT, publish_at=None)
    make_gallery(photos=0).items.create(photo=gallery_photo, position=1)
    make_article(author=make_author(photo=author_photo))
    make_topic(photo=topic_photo)

    used = set(photos_in_use())

    assert used == {shown, gallery_photo, author_photo, topic_photo}
    assert unused not in used and hidden not in used


def test_a_job_already_running_elsewhere_is_skipped_not_run_twice(settings):
    build_site(2)
    params = connection.get_connection_params()
    other = psycopg.connect(
        **{key: params[key] for key in ("dbname", "user", "host", "port") if key in params},
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [lock_id("most_viewed")])

        out = run("--job=most_viewed", "--job=related")

        assert "most_viewed: skipped, running elsewhere" in out
        assert "related: done" in out
        assert not MostViewedList.objects.exists()
        other.execute("SELECT pg_advisory_unlock(%s)", [lock_id("most_viewed")])
        assert "most_viewed: done" in run("--job=most_viewed")
    finally:
        other.close()


def test_the_lock_is_released_after_each_job():
    run_jobs(["view_counts"])

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        assert cursor.fetchone()[0] == 0


def test_a_failing_job_is_reported_and_the_others_still_run(monkeypatch):
    build_site(2)

    def broken(**options):
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(background.JOBS, "related", broken)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="failed"):
        call_command("run_background", stdout=out, stderr=err)

    assert "related: failed, RuntimeError: the disk is full" in err.getvalue()
    assert "most_viewed: done" in out.getvalue()
    assert "renditions: done" in out.getvalue() and "view_counts: done" in out.getvalue()
    assert MostViewedList.objects.exists()


def test_view_counts_are_pruned_once_an_hour():
    article_view_record(article_id=make_article().pk, when=timezone.now() - timedelta(days=40))

    assert "deleted 1 old rows" in run("--job=view_counts")
    assert "pruned within the hour" in run("--job=view_counts")


def test_the_loop_runs_again_until_it_is_stopped(monkeypatch):
    runs = []

    class StopAfterTwo(threading.Event):
        def wait(self, timeout=None):
            if len(runs) >= 2:
                self.set()
            return self.is_set()

    monkeypatch.setattr(run_background.threading, "Event", StopAfterTwo)
    monkeypatch.setattr(
        run_background.Command, "run_once", lambda self, jobs, settings: runs.append(jobs)
    )
    monkeypatch.setattr(run_background.signal, "signal", lambda *args: None)

    call_command("run_background", "--loop", "--every=5", "--job=most_viewed")

    assert runs == [["most_viewed"], ["most_viewed"]]


@pytest.mark.parametrize("option", ["--every=0", "--related-batch=0", "--renditions-seconds=0"])
def test_nonsense_options_are_refused(option):
    with pytest.raises(CommandError):
        run(option)


def test_new_most_viewed_lists_reach_the_cached_side_blocks_at_once(client):
    quiet, popular = make_article(title="Quiet"), make_article(title="Popular")
    reader_at = make_article(title="Being read")
    article_view_record(article_id=quiet.pk)
    run("--job=most_viewed")
    first = client.get(reader_at.get_absolute_url()).content.decode()  # blocks now cached
    block = first[first.index('id="most-viewed-heading"') :]
    block = block[: block.index("</section>")]
    assert "Quiet" in block and "Popular" not in block

    for _ in range(3):
        article_view_record(article_id=popular.pk)
    MostViewedList.objects.update(computed_at=timezone.now() - timedelta(hours=1))  # due
    assert "stored the lists of" in run("--job=most_viewed")

    later = client.get(reader_at.get_absolute_url()).content.decode()
    block = later[later.index('id="most-viewed-heading"') :]
    block = block[: block.index("</section>")]
    assert block.index("Popular") < block.index("Quiet")
