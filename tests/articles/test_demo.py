import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from alwaght.demo.loader import SYNTHETIC_SLUG_PREFIX
from articles.models import Article, EditorsChoice, Section, TaggedArticle
from tests.factories import stored_files

pytestmark = pytest.mark.django_db


def counts():
    return (
        Section.objects.count(),
        Article.objects.count(),
        TaggedArticle.objects.count(),
        EditorsChoice.objects.count(),
    )


def test_demo_edition_is_realistic_and_idempotent():
    call_command("load_demo", verbosity=0)
    first = counts()
    files = [name for name in stored_files() if name.endswith(".jpg")]

    call_command("load_demo", verbosity=0)

    assert counts() == first
    assert [name for name in stored_files() if name.endswith(".jpg")] == files
    assert files
    sections, articles, tag_links, choices = first
    assert sections == 15  # five in each edition
    assert articles >= 40
    assert tag_links >= 3 * 40
    assert choices >= 5
    assert len(files) >= 20
    assert Article.objects.published().count() == articles
    for section in Section.objects.all():
        assert section.articles.exists(), section


def test_demo_keeps_changes_editors_made(media_root):
    call_command("load_demo", verbosity=0)
    article = Article.objects.order_by("pk").first()
    article.title = "Edited by an editor"
    article.save()

    call_command("load_demo", verbosity=0)

    article.refresh_from_db()
    assert article.title == "Edited by an editor"


def test_demo_articles_have_a_first_revision_and_can_be_recovered(client, admin_user, media_root):
    call_command("load_demo", verbosity=0)
    article = Article.objects.filter(tags__isnull=False).order_by("pk").first()
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    assert versions[0].revision.comment == "Loaded with the demo edition."
    assert Version.objects.get_for_model(Article).values("object_id").distinct().count() == (
        Article.objects.count()
    )
    tag_names = sorted(article.tags.names())
    client.force_login(admin_user)
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert "Loaded with the demo edition." in history.content.decode()

    pk = article.pk
    article.delete()
    deleted = Version.objects.get_deleted(Article).get(object_id=str(pk))
    deleted.revision.revert(delete=True)

    recovered = Article.objects.get(pk=pk)
    assert recovered.title == article.title
    assert sorted(recovered.tags.names()) == tag_names
    call_command("load_demo", verbosity=0)  # a second run adds no revisions
    assert Version.objects.get_for_object(recovered).count() == 1


def test_synthetic_archive_tops_up_without_duplicates(media_root):
    call_command("load_demo", articles=30, verbosity=0)
    call_command("load_demo", articles=30, verbosity=0)
    synthetic = Article.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX)

    assert synthetic.count() == 30
    assert TaggedArticle.objects.filter(content_object__in=synthetic).count() == 90

    call_command("load_demo", articles=45, verbosity=0)

    assert synthetic.count() == 45
    assert synthetic.published().count() == 45
    assert "<script" not in synthetic.first().body


def test_negative_article_count_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="zero or more"):
        call_command("load_demo", articles=-1, verbosity=0)


def test_create_editor_prints_a_generated_password_once(capsys):
    from django.contrib.auth import get_user_model

    call_command("create_editor")
    first = capsys.readouterr().out
    call_command("create_editor")
    second = capsys.readouterr().out

    password = first.split("password:")[1].split()[0]
    user = get_user_model().objects.get(username="editor")
    assert user.is_staff and user.is_superuser
    assert user.check_password(password)
    assert len(password) >= 16
    assert password not in second
    assert "exists" in second


def test_page_benchmark_runs_and_reports_every_page(media_root):
    from io import StringIO

    call_command("load_demo", verbosity=0)
    out = StringIO()

    call_command("bench_pages", runs=1, stdout=out)

    report = out.getvalue()
    for page in (
        "front page",
        "archive, page 1",
        "archive, deep page",
        "article",
        "most viewed, month",
        "search",
    ):
        assert page in report
    assert "queries" in report


def test_a_loaded_archive_has_only_each_editions_newest_in_the_recent_search_index(
    media_root, monkeypatch
):
    monkeypatch.setattr("articles.search_recent.RECENT_ARTICLES", 10)
    call_command("load_demo", articles=30, verbosity=0)

    english = Article.objects.filter(language="en", publish_at__isnull=False)
    marked = set(english.filter(search_recent=True).values_list("pk", flat=True))
    newest = set(english.order_by("-publish_at").values_list("pk", flat=True)[:10])
    assert marked == newest
