"""A reader's comment through the shipped proxy, published on a port other than 80.

nginx (Debian's package) runs with deploy/alwaght_proxy_headers.conf in front of the
test's live server on a free port of 127.0.0.1, as compose publishes it on 8080: the
browser's Origin then names the port, and the app must see the same host.
"""

import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from comments.forms import form_token
from comments.models import Comment
from tests.factories import make_article
from tests.servers import free_port, serving

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
HEADERS = Path(__file__).resolve().parent.parent.parent / "deploy" / "alwaght_proxy_headers.conf"

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proxy(live_server, tmp_path, settings):
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light); proxy test skipped")
    settings.TRUSTED_PROXIES = 1
    backend = urllib.parse.urlsplit(live_server.url)
    port = free_port()
    temp = " ".join(
        f"{name}_temp_path {tmp_path}/{name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{ access_log off; {temp}\n"
        f"  upstream app {{ server {backend.hostname}:{backend.port}; keepalive 4; }}\n"
        f"  server {{ listen 127.0.0.1:{port};\n"
        f"    location / {{ proxy_pass http://app; include {HEADERS}; }} }} }}\n"
    )
    command = [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    with serving(command, f"http://localhost:{port}", "nginx") as url:
        yield url


def post(url: str, fields: dict, origin: str) -> int:
    """POST `fields` as a browser on `origin` does; return the status (redirects not followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(
        url,
        urllib.parse.urlencode(fields).encode(),
        headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"},
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def comment(article, text: str) -> dict:
    token = form_token(article.pk, now=time.time() - 60)
    return {"name": "Leila", "text": text, "website": "", "token": token}


def test_a_comment_sent_through_the_proxy_on_its_own_port_is_taken(proxy):
    article = make_article()

    status = post(
        f"{proxy}/en/comments/{article.pk}/",
        comment(article, "Words I spent ten minutes on"),
        origin=proxy,
    )

    assert status == 303
    assert list(Comment.objects.values_list("text", flat=True)) == ["Words I spent ten minutes on"]


def test_another_site_is_still_refused_through_the_proxy(proxy):
    article = make_article()

    status = post(
        f"{proxy}/en/comments/{article.pk}/",
        comment(article, "Forged"),
        origin="http://evil.example",
    )

    assert status == 403
    assert not Comment.objects.exists()
