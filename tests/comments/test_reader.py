import re
import time

import pytest
from django.test import Client

from articles.models import Article
from comments.forms import form_token
from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db


def test_comment_is_stored_pending_and_reader_returns_to_the_article(client, post_comment):
    article = make_article()

    response = post_comment(article)

    assert response.status_code == 303
    assert response["Location"] == f"{article.get_absolute_url()}?comment=sent#comment-sent"
    comment = Comment.objects.get()
    assert (comment.status, comment.name, comment.email) == (
        "pending",
        "Leila",
        "leila@example.org",
    )
    assert comment.ip_address == "203.0.113.9"
    page = client.get(response["Location"]).content.decode()
    assert "will appear here once a moderator has approved it" in page
    assert "A thoughtful comment." not in page


def test_only_approved_comments_show_oldest_first_and_count(client):
    article = make_article()
    first = make_comment(article=article, status="approved", text="First words")
    second = make_comment(article=article, status="approved", text="Second words")
    for status in ("pending", "rejected", "spam"):
        make_comment(article=article, status=status, text=f"Hidden {status}")

    content = client.get(article.get_absolute_url()).content.decode()

    assert "2 comments" in content
    assert content.index(first.text) < content.index(second.text)
    for status in ("pending", "rejected", "spam"):
        assert f"Hidden {status}" not in content


def test_email_never_appears_in_the_page(client):
    article = make_article()
    make_comment(article=article, status="approved", email="secret.reader@example.org")

    content = client.get(article.get_absolute_url()).content.decode()

    assert "secret.reader" not in content


def test_comment_text_is_shown_as_text_with_paragraphs(client):
    article = make_article()
    make_comment(
        article=article,
        status="approved",
        text="First <b>bold</b> <script>alert(1)</script>\n\nSecond https://spam.example/x",
    )

    content = client.get(article.get_absolute_url()).content.decode()

    assert "<p>First &lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>" in content
    assert "<p>Second https://spam.example/x</p>" in content
    assert 'href="https://spam.example' not in content


def test_form_shows_text_required_with_asterisk_and_a_send_button(client):
    content = client.get(make_article().get_absolute_url()).content.decode()

    assert 'name="text"' in content and 'name="name"' in content and 'name="email"' in content
    assert 'asteriskField">*' in content
    assert 'value="Send"' in content


def test_anonymous_article_page_sets_no_cookie_and_does_not_vary_on_cookie(client):
    response = Client().get(make_article().get_absolute_url())

    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "csrfmiddlewaretoken" not in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text": ""}, "text", "Please write your comment."),
        ({"text": "   \n\t "}, "text", "Please write your comment."),
        ({"text": "\u202e\u202d"}, "text", "Please write your comment."),
        ({"text": "\x01\x02\x03"}, "text", "Please write your comment."),
        ({"text": "\u200b \u2060\n\u200c"}, "text", "Please write your comment."),
        ({"text": "x" * 3001}, "text", "at most 3000 characters"),
        ({"text": "bad\x00byte"}, "text", "Null characters are not allowed."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": "a" * 250 + "@example.org"}, "email", "at most 254 characters"),
        ({"name": "n" * 81}, "name", "at most 80 characters"),
        ({"name": "\u200b\u200c\u200d"}, "name", "Please use letters in your name"),
        ({"name": "\ufffe"}, "name", "Please use letters in your name"),
        ({"name": "\x01\x02"}, "name", "Please use letters in your name"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_the_text_kept(
    post_comment, fields, field, message
):
    article = make_article()
    typed = {"text": "My careful words", **fields}

    response = post_comment(article, **typed)

    assert response.status_code == 200
    form = response.context["comment_form"]
    assert message in " ".join(form.errors[field])
    content = response.content.decode()
    assert "is-invalid" in content
    if fields.get("text", "My careful words") == "My careful words":
        assert "My careful words" in content
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("edition", "arabic_digits", "limits"),
    [
        ("fa", "western", {"name": "۸۰", "email": "۲۵۴", "text": "۳۰۰۰"}),
        ("ar", "arabic-indic", {"name": "٨٠", "email": "٢٥٤", "text": "٣٠٠٠"}),
        ("ar", "western", {"name": "80", "email": "254", "text": "3000"}),
    ],
)
def test_length_messages_count_in_the_editions_digits(
    client, settings, edition, arabic_digits, limits
):
    settings.ALWAGHT_ARABIC_DIGITS = arabic_digits
    article = make_article(language=edition)
    sent = {"name": "n" * 81, "email": "a" * 250 + "@example.org", "text": "x" * 3001}

    response = client.post(
        f"/{edition}/comments/{article.pk}/",
        {**sent, "website": "", "token": form_token(article.pk, now=time.time() - 60)},
    )

    page = response.content.decode()
    shown = {
        field: re.search(rf'<span id="error_1_id_{field}"><strong>(.*?)</strong>', page)[1]
        for field in sent
    }
    for field, limit in limits.items():
        assert limit in shown[field], shown[field]
        if arabic_digits == "arabic-indic" or edition == "fa":  # no Western digit left
            assert not re.search("[0-9]", shown[field]), shown[field]


def test_everything_typed_is_kept_on_error(post_comment):
    response = post_comment(make_article(), name="Leila", email="bad", text="Keep me, please")

    content = response.content.decode()
    assert 'value="Leila"' in content
    assert 'value="bad"' in content
    assert "Keep me, please</textarea>" in content


def test_bidi_override_and_line_breaks_are_cleaned_from_names(post_comment):
    post_comment(make_article(), name="Ali\u202egnp.exe\r\nBcc: x@y")

    assert Comment.objects.get().name == "Alignp.exe Bcc: x@y"


def test_a_persian_name_keeps_its_zero_width_non_joiner_and_direction_marks(post_comment):
    post_comment(make_article(), name="زهرا نیک\u200cنام\u200f (Tehran)")

    assert Comment.objects.get().name == "زهرا نیک\u200cنام\u200f (Tehran)"


def test_a_comment_as_long_as_the_browser_allows_is_taken_whatever_its_line_breaks(
    post_comment,
):
    # The browser's maxlength counts a line break as one character and sends two (CRLF).
    paragraphs = ["x" * 290] * 10
    typed = "\n".join(paragraphs) + "y" * (3000 - len("\n".join(paragraphs)))
    assert len(typed) == 3000

    response = post_comment(make_article(), text=typed.replace("\n", "\r\n"))

    assert response.status_code == 303
    assert Comment.objects.get().text == typed


def test_non_utf8_body_does_not_break_anything():
    article = make_article()
    body = b"name=%FF%FE&text=%C3%28valid%3F&token=x"

    response = Client().post(
        f"/en/comments/{article.pk}/",
        body,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert Comment.objects.count() == 0


def test_huge_fields_are_refused_without_error(post_comment):
    response = post_comment(make_article(), text="y" * 200_000, name="z" * 10_000)

    assert response.status_code == 200
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "article_state",
    [
        {"status": Article.Status.DRAFT, "publish_at": None},
        {"status": Article.Status.REVIEW},
    ],
)
def test_comments_on_hidden_articles_are_404(post_comment, article_state):
    response = post_comment(make_article(**article_state))

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_comment_on_missing_article_is_404(client):
    assert client.post("/en/comments/999999/", {"text": "x"}).status_code == 404


@pytest.mark.parametrize("form_missing_text", [False, True])
def test_a_comment_sent_to_another_editions_address_is_404_and_stores_nothing(
    client, form_missing_text
):
    # The fa address showed the English article in Persian, right to left, with a
    # form posting back to itself; a valid comment was stored.
    english = make_article(language="en")
    fields = {
        "name": "Leila",
        "email": "leila@example.org",
        "text": "" if form_missing_text else "A thoughtful comment.",
        "website": "",
        "token": form_token(english.pk, now=time.time() - 60),
    }

    response = client.post(f"/fa/comments/{english.pk}/", fields, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_get_is_not_allowed(client):
    assert client.get(f"/en/comments/{make_article().pk}/").status_code == 405


def test_closed_article_says_so_and_stores_nothing(client, post_comment):
    article = make_article(comments_open=False)

    page = client.get(article.get_absolute_url()).content.decode()
    response = post_comment(article)

    assert "Comments are closed on this article." in page
    assert 'id="comment-form"' not in page
    assert response.status_code == 403
    assert "Comments are closed on this article." in response.content.decode()
    assert Comment.objects.count() == 0


def test_a_reader_whose_article_closed_while_they_wrote_gets_the_text_back(post_comment):
    article = make_article(comments_open=False)

    response = post_comment(article, name="Leila", text="Ten minutes of <careful> words")

    page = response.content.decode()
    assert response.status_code == 403
    assert 'value="Leila"' in page
    assert "Ten minutes of &lt;careful&gt; words</textarea>" in page


def test_a_cross_site_post_is_not_shown_back(post_comment):
    response = post_comment(
        make_article(), headers={"Origin": "https://evil.example"}, text="Call 555-0100 now"
    )

    assert response.status_code == 403
    assert "555-0100" not in response.content.decode()


def test_comments_close_by_themselves_on_old_articles(client, settings, post_comment):
    from datetime import timedelta

    from django.utils import timezone

    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = make_article(publish_at=timezone.now() - timedelta(days=31))

    assert "Comments are closed" in client.get(old.get_absolute_url()).content.decode()
    assert post_comment(old).status_code == 403


def test_missing_csrf_on_a_protected_form_gets_an_explaining_403():
    from django.contrib.auth import get_user_model

    csrf_client = Client(enforce_csrf_checks=True)
    get_user_model().objects.create_superuser("boss", password="pw-for-test-only-1")

    response = csrf_client.post("/admin/login/", {"username": "boss", "password": "x"})

    assert response.status_code == 403
    assert "carry a check that proves they came from this site" in response.content.decode()


def test_expired_or_forged_token_keeps_the_text_and_offers_a_fresh_form(post_comment):
    article = make_article()
    stale = form_token(article.pk, now=time.time() - 2 * 24 * 3600)

    for token in (stale, "forged", form_token(article.pk + 1, now=time.time() - 60)):
        response = post_comment(article, token=token, text="Words worth keeping")

        content = response.content.decode()
        assert "This form has expired" in content
        assert "Words worth keeping" in content
        assert response.context["comment_form"].data["token"] != token
    assert Comment.objects.count() == 0


def test_cross_site_posts_are_refused(post_comment):
    article = make_article()

    by_origin = post_comment(article, headers={"Origin": "https://evil.example"})
    by_fetch_metadata = post_comment(article, headers={"Sec-Fetch-Site": "cross-site"})
    same_site = post_comment(article, headers={"Origin": "http://testserver"}, text="Fine")

    assert by_origin.status_code == 403
    assert by_fetch_metadata.status_code == 403
    assert same_site.status_code == 303
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("origin", "trusted", "status"),
    [
        ("null", [], 403),  # a sandboxed frame or a file
        ("https://testserver", [], 403),  # another scheme is another site
        ("http://testserver:8080", [], 403),  # and so is another port
        ("https://www.alwaght.example", ["https://www.alwaght.example"], 303),
        ("https://m.alwaght.example", ["https://*.alwaght.example"], 303),
        ("https://alwaght.example.evil", ["https://*.alwaght.example"], 403),
    ],
)
def test_a_forms_origin_is_judged_as_the_desks_csrf_check_judges_it(
    post_comment, settings, origin, trusted, status
):
    # The one setting that lets the desk sign in behind a proxy that rewrites the
    # host lets readers comment there too (DJANGO_CSRF_TRUSTED_ORIGINS).
    settings.CSRF_TRUSTED_ORIGINS = trusted

    response = post_comment(make_article(), headers={"Origin": origin})

    assert response.status_code == status
    assert Comment.objects.count() == (status == 303)


def test_articles_without_comments_each_show_their_editions_count_until_one_is_approved(client):
    english, other = make_article(), make_article()
    persian = make_article(language="fa")
    for article in (english, other, persian):  # "0 comments" rendered once per edition
        client.get(article.get_absolute_url())

    make_comment(article=english, status="approved", text="First words")

    assert "1 comment<" in client.get(english.get_absolute_url()).content.decode()
    assert "0 comments" in client.get(other.get_absolute_url()).content.decode()
    assert "۰ دیدگاه" in client.get(persian.get_absolute_url()).content.decode()
