"""Sentry is off without SENTRY_DSN; with one, errors go out without anyone's personal data."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sentry_sdk
from django.test import Client
from django.urls import reverse
from sentry_sdk.transport import Transport

from alwaght.error_tracking import sentry_init
from comments import views as comment_views
from comments.forms import form_token
from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent.parent
EMAIL = "leila.commenter@example.org"
IP = "198.51.100.23"
# Constants, not literals, so the test's own source lines the SDK sends as context
# (a few lines around each frame) do not contain them.
SESSION = "the-session-secret"
REMARK = "My private remark"


class RecordingTransport(Transport):
    """Keeps what the SDK would send, instead of sending it."""

    def __init__(self, options=None):
        super().__init__(options)
        self.sent = []

    def capture_envelope(self, envelope):
        self.sent.append(envelope.serialize().decode("utf-8", "replace"))


@pytest.fixture
def sentry():
    transport = RecordingTransport()
    sentry_init(
        dsn="https://public@sentry.example.invalid/1", environment="test", transport=transport
    )
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: the SDK stays idle for the other tests


def test_sentry_is_off_without_a_dsn():
    script = "import django, sentry_sdk; django.setup(); print(sentry_sdk.get_client().is_active())"

    def active(**env):
        environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))
        }
        environment.update(DJANGO_SETTINGS_MODULE="alwaght.settings", DJANGO_DEBUG="1", **env)
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()[-1]

    assert active() == "False"
    assert active(SENTRY_DSN="https://public@sentry.example.invalid/1") == "True"


@pytest.mark.django_db
def test_an_error_is_sent_without_emails_addresses_cookies_or_the_form(sentry, monkeypatch):
    article = make_article()

    def failing_submit(*, name, email, text, ip, **kwargs):
        raise RuntimeError(f"could not store the comment of {name} <{email}> from {ip}")

    monkeypatch.setattr(comment_views, "comment_submit", failing_submit)
    client = Client(raise_request_exception=False, REMOTE_ADDR=IP, HTTP_USER_AGENT="Firefox")
    client.cookies["sessionid"] = SESSION

    response = client.post(
        reverse("comments:post", args=[article.pk]) + f"?email={EMAIL}",
        {
            "name": "Leila",
            "email": EMAIL,
            "text": REMARK,
            "website": "",
            "token": form_token(article.pk, now=time.time() - 60),
        },
        HTTP_X_FORWARDED_FOR=IP,
    )
    sentry_sdk.flush()

    assert response.status_code == 500
    sent = "\n".join(sentry.sent)
    assert "RuntimeError" in sent and "could not store the comment" in sent  # it was sent
    for personal in (EMAIL, IP, SESSION, REMARK, "leila.commenter"):
        assert personal not in sent, personal
    event = json.loads(next(line for line in sent.splitlines() if '"exception"' in line))
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    assert "user" not in event
    assert {h.lower() for h in event["request"].get("headers", {})} <= {
        "host",
        "user-agent",
        "content-type",
        "accept",
        "accept-language",
        "accept-encoding",
    }
