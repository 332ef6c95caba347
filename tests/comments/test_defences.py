import time

import pytest
from django.core import mail

from comments.forms import form_token
from comments.models import BlockedTerm, Comment
from tests.factories import make_article, make_comment
from web.client_ip import sender_network

pytestmark = pytest.mark.django_db


def test_honeypot_filled_stores_nothing_but_looks_like_success(post_comment):
    response = post_comment(make_article(), website="http://buy.example")

    assert response.status_code == 303
    assert Comment.objects.count() == 0


def test_form_sent_faster_than_a_person_goes_to_spam(post_comment):
    article = make_article()

    post_comment(article, token=form_token(article.pk, now=time.time()))

    comment = Comment.objects.get()
    assert comment.status == "spam"
    assert comment.flag_reason == "sent faster than a person types"


def test_too_many_links_go_to_spam(post_comment, settings):
    settings.COMMENTS_MAX_LINKS = 2
    article = make_article()

    post_comment(article, text="See https://a.example and http://b.example", email="a@x.org")
    post_comment(article, text="https://a.example www.b.example c.com", email="b@x.org")

    statuses = dict(Comment.objects.values_list("email", "status"))
    assert statuses == {"a@x.org": "pending", "b@x.org": "spam"}


@pytest.mark.parametrize(
    ("kind", "value", "fields"),
    [
        ("word", "casino", {"text": "Best CASINO offers"}),
        ("word", "casino", {"name": "Casino King"}),
        # Spelled with a control character (removed on save) or a zero-width space
        # (kept, unseen): what readers would read is what is matched.
        ("word", "casino", {"text": "Best cas\x01ino offers"}),
        ("word", "casino", {"text": "Best cas\u200bino offers"}),
        ("email", "spammer@example.org", {"email": "Spammer@Example.org"}),
        ("email", "@junk.example", {"email": "anyone@junk.example"}),
        ("ip", "203.0.113.0/24", {}),
        ("ip", "203.0.113.9", {}),
    ],
)
def test_blocklist_sends_matches_to_spam(post_comment, kind, value, fields):
    BlockedTerm.objects.create(kind=kind, value=value)

    post_comment(make_article(), **fields)

    comment = Comment.objects.get()
    assert comment.status == "spam"
    assert comment.flag_reason.startswith("blocklist")


def test_links_spelled_with_control_characters_are_counted(post_comment, settings):
    settings.COMMENTS_MAX_LINKS = 2

    post_comment(make_article(), text=" ".join(["h\x01ttps://a.example"] * 3))

    comment = Comment.objects.get()
    assert (comment.status, comment.flag_reason) == ("spam", "too many links")
    assert comment.text.count("https://") == 3


def test_blocklist_refuses_a_malformed_network_in_the_admin_form():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        BlockedTerm(kind="ip", value="not-an-ip").full_clean()


def test_same_text_from_same_email_is_stored_once(post_comment):
    article = make_article()

    post_comment(article, text="Same words")
    second = post_comment(article, text="Same words")

    assert second.status_code == 303
    assert Comment.objects.count() == 1


def test_the_same_text_with_a_control_character_is_the_same_text(post_comment):
    article = make_article()

    post_comment(article, text="Same\x07 words")
    post_comment(article, text="Same words\x07")
    post_comment(article, text="Same words")

    assert list(Comment.objects.values_list("text", flat=True)) == ["Same words"]


def test_rate_limit_answers_429_with_retry_after_and_keeps_the_text(post_comment):
    article = make_article()
    for number in range(5):
        assert post_comment(article, text=f"Comment {number}").status_code == 303

    response = post_comment(article, text="One too many")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61
    content = response.content.decode()
    assert "Please wait a minute" in content
    assert "One too many" in content
    assert Comment.objects.count() == 5


def test_a_sender_taking_a_new_ipv6_address_per_comment_is_still_one_sender(client):
    # An IPv6 home or phone has a /64 to itself: every address in it is the same sender.
    article = make_article()
    token = form_token(article.pk, now=time.time() - 60)

    def send(number, address):
        data = {"name": "", "text": f"Comment {number}", "website": "", "token": token}
        return client.post(f"/en/comments/{article.pk}/", data, REMOTE_ADDR=address).status_code

    statuses = [send(number, f"2001:db8:1:2::{number + 1:x}") for number in range(7)]
    elsewhere = send(7, "2001:db8:1:3::1")  # the next /64 is someone else

    assert statuses == [303] * 5 + [429] * 2
    assert elsewhere == 303
    assert Comment.objects.count() == 6


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),  # an IPv4 client on a dual-stack socket
        ("", "unknown"),
    ],
)
def test_the_limit_counts_an_ipv4_address_or_an_ipv6_slash_64(address, counted_as):
    assert sender_network(address) == counted_as


def test_forged_forwarded_for_does_not_dodge_the_limit(client, post_comment):
    article = make_article()
    for number in range(6):
        response = post_comment(
            article, text=f"Try {number}", headers={"X-Forwarded-For": f"198.51.100.{number}"}
        )

    assert response.status_code == 429
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_a_trusted_proxy_forwarded_address_is_used(settings, post_comment):
    settings.TRUSTED_PROXIES = 1
    article = make_article()

    post_comment(article, headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.20"})

    assert Comment.objects.get().ip_address == "198.51.100.20"


def test_returning_commenters_can_be_approved_automatically(settings, post_comment):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    article = make_article()
    make_comment(article=article, email="leila@example.org", status="approved")

    post_comment(article, text="Back again")
    post_comment(article, text="Newcomer", email="new@example.org")

    statuses = dict(Comment.objects.values_list("text", "status"))
    assert statuses["Back again"] == "approved"
    assert statuses["Newcomer"] == "pending"


def test_auto_approval_is_off_by_default(post_comment):
    article = make_article()
    make_comment(article=article, email="leila@example.org", status="approved")

    post_comment(article, text="Back again")

    assert Comment.objects.get(text="Back again").status == "pending"


def test_moderators_can_be_told_by_email_with_a_one_line_subject(
    settings, post_comment, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group, User

    settings.COMMENTS_NOTIFY_MODERATORS = True
    moderator = User.objects.create_user("mod", email="mod@example.org")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    article = make_article(title="Talks\r\nBcc: victim@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(article)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mod@example.org"]
    assert "\n" not in mail.outbox[0].subject and "\r" not in mail.outbox[0].subject
