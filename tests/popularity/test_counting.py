import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from popularity.counting import live_ids
from popularity.models import Period, ViewCount
from popularity.services import (
    article_view_record,
    is_bot,
    most_viewed,
    most_viewed_ids,
    most_viewed_refresh,
    view_counts_flush,
    view_counts_prune,
)
from tests.factories import make_article, make_section

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def total_views(article):
    """Return the article's stored views, after writing this process's pending ones."""
    view_counts_flush()
    return ViewCount.objects.filter(article=article).aggregate(total=Sum("views"))["total"] or 0


def beacon(client, article, method="post", user_agent=BROWSER):
    url = reverse("beacon:view-beacon", args=[article.pk])
    return getattr(client, method)(url, headers={"user-agent": user_agent})


@pytest.mark.django_db
def test_beacon_counts_a_reader_view(client):
    article = make_article()

    response = beacon(client, article)

    assert response.status_code == 204
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    assert total_views(article) == 1


@pytest.mark.django_db
def test_noscript_pixel_counts_too(client):
    article = make_article()

    response = beacon(client, article, method="get")

    assert response["Content-Type"] == "image/gif"
    assert total_views(article) == 1


@pytest.mark.django_db
def test_beacon_needs_no_csrf_token_or_cookie():
    from django.test import Client

    article = make_article()

    response = beacon(Client(enforce_csrf_checks=True), article)

    assert response.status_code == 204
    assert not response.cookies
    assert total_views(article) == 1


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    ],
)
@pytest.mark.django_db
def test_bots_are_not_counted(client, user_agent):
    article = make_article()

    response = beacon(client, article, user_agent=user_agent)

    assert response.status_code == 204
    assert total_views(article) == 0


@pytest.mark.parametrize(
    "user_agent",
    [
        BROWSER,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ],
)
def test_browsers_are_readers(user_agent):
    assert not is_bot(user_agent)


@pytest.mark.django_db
def test_hidden_or_missing_articles_are_not_counted(client):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)

    assert beacon(client, draft).status_code == 204
    assert (
        client.post("/beacon/articles/999999/view", headers={"user-agent": BROWSER}).status_code
        == 204
    )
    view_counts_flush()
    assert ViewCount.objects.count() == 0


@pytest.mark.django_db
def test_beacon_refuses_other_methods(client):
    article = make_article()

    response = client.put(reverse("beacon:view-beacon", args=[article.pk]))

    assert response.status_code == 405


@pytest.mark.django_db
def test_windows_day_week_month():
    now = timezone.now()
    today, two_days, ten_days, forty_days = (make_article() for _ in range(4))
    article_view_record(article_id=today.pk, when=now - timedelta(hours=2))
    article_view_record(article_id=two_days.pk, when=now - timedelta(days=2))
    article_view_record(article_id=ten_days.pk, when=now - timedelta(days=10))
    article_view_record(article_id=forty_days.pk, when=now - timedelta(days=40))

    lists = most_viewed_refresh(language="en")

    assert most_viewed_ids("en") == lists
    assert lists[Period.DAY] == [today.pk]
    assert set(lists[Period.WEEK]) == {today.pk, two_days.pk}
    assert set(lists[Period.MONTH]) == {today.pk, two_days.pk, ten_days.pk}


@pytest.mark.django_db
def test_ranking_is_by_views_and_only_visible_articles_appear():
    popular, quiet, withdrawn = make_article(), make_article(), make_article()
    for article, views in [(popular, 5), (quiet, 2), (withdrawn, 9)]:
        for _ in range(views):
            article_view_record(article_id=article.pk)
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.DRAFT)
    most_viewed_refresh(language="en")

    assert most_viewed("en")[Period.DAY] == [popular, quiet]


@pytest.mark.django_db
def test_an_article_withdrawn_after_the_lists_were_stored_disappears_at_once():
    article = make_article()
    article_view_record(article_id=article.pk)
    most_viewed_refresh(language="en")
    assert most_viewed("en")[Period.DAY] == [article]

    Article.objects.filter(pk=article.pk).update(status=Article.Status.REVIEW)

    assert most_viewed("en")[Period.DAY] == []


@pytest.mark.django_db
def test_a_story_moved_to_another_edition_leaves_the_one_it_left_at_once(client):
    article = make_article(title="Moving story")
    article_view_record(article_id=article.pk)
    most_viewed_refresh(language="en")
    assert most_viewed("en")[Period.DAY] == [article]

    article.language, article.section = "ar", make_section(language="ar")
    article.save()

    assert most_viewed("en")[Period.DAY] == []
    assert "Moving story" not in client.get("/en/most-viewed/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_all_counted():
    article = make_article()
    threads, views_each = 8, 25
    start = threading.Barrier(threads)

    def read_many():
        start.wait()
        try:
            for _ in range(views_each):
                article_view_record(article_id=article.pk)
        finally:
            connection.close()

    workers = [threading.Thread(target=read_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert total_views(article) == threads * views_each
    # Spread over shard rows, not one hot row.
    assert ViewCount.objects.filter(article=article).count() > 1


@pytest.mark.django_db
def test_pruning_keeps_the_month_ranking_and_drops_old_rows():
    now = timezone.now()
    articles = [make_article() for _ in range(4)]
    for weight, article in enumerate(articles, start=1):
        for days in (1, 3, 12, 29, 35):
            for _ in range(weight * (days % 4 + 1)):
                article_view_record(article_id=article.pk, when=now - timedelta(days=days))
    before = most_viewed_refresh(language="en", now=now)
    month_totals = month_views_by_article(now)
    rows_before = ViewCount.objects.count()

    deleted, folded = view_counts_prune(now=now)

    assert most_viewed_refresh(language="en", now=now) == before
    assert month_views_by_article(now) == month_totals
    assert deleted > 0 and folded > 0
    assert ViewCount.objects.count() < rows_before
    assert not ViewCount.objects.filter(hour__lt=Period.MONTH.since(now)).exists()
    assert not ViewCount.objects.filter(hour__lt=now - timedelta(hours=2), shard__gt=0).exists()


def month_views_by_article(now):
    return dict(
        ViewCount.objects.filter(hour__gte=Period.MONTH.since(now))
        .values_list("article_id")
        .annotate(total=Sum("views"))
    )


@pytest.mark.django_db
def test_prune_command_reports(capsys):
    from django.core.management import call_command

    article_view_record(article_id=make_article().pk, when=timezone.now() - timedelta(days=40))

    call_command("prune_view_counts")

    assert "Deleted 1 old rows" in capsys.readouterr().out


@pytest.mark.django_db
def test_repeated_views_from_one_address_count_once(client):
    article = make_article()

    for _ in range(3):
        beacon(client, article)
    client.post(
        reverse("beacon:view-beacon", args=[article.pk]),
        headers={"user-agent": BROWSER},
        REMOTE_ADDR="198.51.100.7",
    )

    assert total_views(article) == 2


@pytest.mark.django_db
def test_one_reader_taking_a_new_ipv6_address_per_view_counts_once(client):
    article = make_article()
    url = reverse("beacon:view-beacon", args=[article.pk])

    for number in range(1, 21):
        client.post(url, headers={"user-agent": BROWSER}, REMOTE_ADDR=f"2001:db8:1:2::{number:x}")
    client.post(url, headers={"user-agent": BROWSER}, REMOTE_ADDR="2001:db8:1:3::1")

    assert total_views(article) == 2  # the next /64 is another reader


@pytest.mark.django_db
def test_views_by_article_sums_each_articles_views_since_a_time():
    now = timezone.now()
    viewed, unviewed = make_article(), make_article()
    for when in (now, now - timedelta(days=2), now - timedelta(days=31)):
        article_view_record(article_id=viewed.pk, when=when)

    views = ViewCount.objects.views_by_article(since=now - timedelta(days=30))
    counted = Article.objects.annotate(views=views).values_list("pk", "views")

    assert dict(counted) == {viewed.pk: 2, unviewed.pk: None}


# --- Batches: a counted view costs a dictionary increment ---------------------------


@pytest.fixture
def pending():
    """Start with nothing pending, and leave nothing pending for other tests."""
    from popularity.counting import pending_views

    pending_views.flush()
    yield pending_views
    pending_views.flush()


@pytest.mark.django_db
def test_counted_views_wait_for_the_batch_then_are_all_written(client, pending, settings):
    settings.VIEW_FLUSH_SECONDS = 3600
    articles = [make_article() for _ in range(3)]
    live_ids.reload()  # as a running worker has them

    with CaptureQueriesContext(connection) as queries:
        for number in range(30):
            client.post(
                reverse("beacon:view-beacon", args=[articles[number % 3].pk]),
                headers={"user-agent": BROWSER},
                REMOTE_ADDR=f"198.51.100.{number}",
            )
    assert not queries.captured_queries  # no query per counted view
    assert ViewCount.objects.count() == 0
    assert len(pending) == 30

    with CaptureQueriesContext(connection) as queries:
        assert view_counts_flush() == 30
    assert len(queries.captured_queries) == 1  # one statement for the whole batch
    assert [total_views(article) for article in articles] == [10, 10, 10]


@pytest.mark.django_db
def test_the_batch_is_written_by_the_first_view_after_the_interval(client, pending, settings):
    settings.VIEW_FLUSH_SECONDS = 0
    article = make_article()

    beacon(client, article)

    assert ViewCount.objects.filter(article=article).get().views == 1


@pytest.mark.django_db
def test_counts_survive_a_failed_write_for_the_next_one(pending, monkeypatch):
    from django.db import DatabaseError

    from popularity import counting

    article = make_article()
    pending.add(article.pk)
    monkeypatch.setattr(counting, "_FOLD", "SELECT no_such_function()")
    with pytest.raises(DatabaseError):
        pending.flush()
    monkeypatch.undo()

    assert total_views(article) == 1


@pytest.mark.django_db
def test_an_article_deleted_before_the_batch_does_not_lose_the_others(pending):
    kept, deleted = make_article(), make_article()
    pending.add(kept.pk)
    pending.add(deleted.pk)
    deleted.delete()

    assert total_views(kept) == 1


@pytest.mark.django_db
def test_made_up_ids_touch_no_cache_and_run_no_query_after_a_reload(client, monkeypatch):
    from django.core.cache import cache

    article = make_article()
    beacon(client, article)  # loads the visible ids
    touched = []
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: touched.append(args))

    with CaptureQueriesContext(connection) as queries:
        for pk in (article.pk + 1, article.pk + 1000, 2**40):
            response = client.post(f"/beacon/articles/{pk}/view", headers={"user-agent": BROWSER})
            assert response.status_code == 204

    assert touched == []
    assert not queries.captured_queries  # an unknown id reloads at most every few seconds


@pytest.mark.django_db
def test_a_newly_published_article_counts_at_once(client, pending):
    article = make_article()
    beacon(client, article)
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    beacon(client, draft)

    draft.status = Article.Status.PUBLISHED
    draft.save()
    beacon(client, draft)

    assert total_views(draft) == 1


@pytest.mark.django_db
def test_the_repeat_rule_uses_the_shared_cache_only(client, pending, monkeypatch):
    # Workers share nothing but the cache: the rule must not live in process memory.
    from popularity import services

    article = make_article()
    seen = set()

    def add(key, value, timeout=None):
        if key in seen:
            return False
        seen.add(key)
        return True

    monkeypatch.setattr(services.cache, "add", add)
    for _ in range(3):
        beacon(client, article)

    assert total_views(article) == 1
    assert seen == {f"popularity:seen:127.0.0.1:{article.pk}"}
