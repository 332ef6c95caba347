"""A real caching proxy in front: publish -> purge -> Varnish serves the new page.

Varnish (Debian's package) runs deploy/varnish/default.vcl with its backend
pointed at the test's live server, on a free port of 127.0.0.1.
"""

import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from articles.models import Article
from articles.services import article_publish
from tests.factories import make_article, make_author, make_section
from tests.servers import free_port, serving

VARNISHD = shutil.which("varnishd") or (
    "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
)
VCL = Path(__file__).resolve().parent.parent.parent / "deploy" / "varnish" / "default.vcl"

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def varnish(live_server, tmp_path):
    if VARNISHD is None:
        pytest.skip("Varnish is not installed (apt-get install varnish); proxy test skipped")
    backend_port = live_server.url.rsplit(":", 1)[1]
    vcl = re.sub(r'\.port = "[0-9]+";', f'.port = "{backend_port}";', VCL.read_text())
    (tmp_path / "site.vcl").write_text(vcl)
    port = free_port()
    command = [
        VARNISHD,
        "-F",
        "-j",
        "none",
        "-a",
        f"127.0.0.1:{port}",
        "-f",
        str(tmp_path / "site.vcl"),
        "-n",
        str(tmp_path / "varnish"),
        "-s",
        "malloc,32m",
        "-p",
        "ban_lurker_sleep=0.01",
    ]
    with serving(command, f"http://127.0.0.1:{port}", "Varnish") as url:
        yield url


def get(url) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers["X-Cache"], response.read().decode()


def test_publish_purges_and_varnish_serves_the_new_page(varnish, settings):
    section = make_section(slug="news")
    first = make_article(title="First report from the coast", section=section)
    chief = User.objects.create_superuser("chief", "chief@example.org", "pw")

    assert get(varnish + "/en/")[0] == "MISS"
    cached, page = get(varnish + "/en/")
    assert cached == "HIT" and "First report from the coast" in page
    assert get(varnish + "/robots.txt")[0] == "HIT"  # fetched once while waiting

    # Control: with no purge backend, Varnish keeps serving the old front page.
    quiet = make_article(title="Quietly published", status=Article.Status.DRAFT, publish_at=None)
    article_publish(articles=Article.objects.filter(pk=quiet.pk), user=chief)
    cached, page = get(varnish + "/en/")
    assert cached == "HIT" and "Quietly published" not in page

    # With the HTTP PURGE backend pointed at Varnish, publishing refreshes it.
    settings.CDN_PURGE_BACKEND = "http"
    settings.CDN_PURGE_URLS = [varnish + "/"]
    loud = make_article(
        title="Breaking: harbour reopens",
        section=section,
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    article_publish(articles=Article.objects.filter(pk=loud.pk), user=chief)
    cached, page = get(varnish + "/en/")
    assert cached == "MISS" and "Breaking: harbour reopens" in page

    # Editing a live article purges the pages that show it or list its edition
    # (the page cache rebuilds those too), and only those.
    assert get(varnish + first.get_absolute_url())[0] == "MISS"
    assert get(varnish + first.get_absolute_url())[0] == "HIT"
    get(varnish + "/en/")
    get(varnish + "/en/gallery/")
    assert get(varnish + "/en/gallery/")[0] == "HIT"
    first.title = "First report from the coast, corrected"
    first.save()
    cached, page = get(varnish + first.get_absolute_url())
    assert cached == "MISS" and "corrected" in page
    cached, page = get(varnish + "/en/")  # the front page links to it
    assert cached == "MISS" and "corrected" in page
    assert get(varnish + "/en/gallery/")[0] == "HIT"  # shows no article: still cached


def test_renaming_an_author_refreshes_their_bylines_and_page_in_varnish(varnish, settings):
    settings.CDN_PURGE_BACKEND = "http"
    settings.CDN_PURGE_URLS = [varnish + "/"]
    author = make_author(name="Jane Doe", slug="jane-doe")
    article = make_article(title="Harbour report", author=author)
    pages = [article.get_absolute_url(), "/en/authors/jane-doe/", "/en/authors/jane-doe/feed/"]
    for url in [*pages, "/en/gallery/"]:
        get(varnish + url)
        assert get(varnish + url)[0] == "HIT", url

    author.name = "Jane Doe-Smith"
    author.save()

    for url in pages:
        cached, page = get(varnish + url)
        assert cached == "MISS" and "Jane Doe-Smith" in page, url
    assert get(varnish + "/en/gallery/")[0] == "HIT"  # shows no author: still cached
