"""Right-to-left editions: direction, mirrored arrows, isolated reader text, own fonts."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db
CSS = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()


@pytest.mark.parametrize(("edition", "direction"), [("en", "ltr"), ("ar", "rtl"), ("fa", "rtl")])
def test_pages_carry_the_editions_language_and_direction(client, edition, direction):
    page = client.get(f"/{edition}/").content.decode()

    assert f'<html lang="{edition}" dir="{direction}"' in page


def test_arrows_are_marked_to_mirror_in_right_to_left_pages(client):
    make_article(language="fa")

    page = client.get("/fa/").content.decode()

    assert '<span class="arrow" aria-hidden="true">→</span>' in page
    assert '[dir="rtl"] .arrow { display: inline-block; transform: scaleX(-1); }' in CSS


def test_a_readers_latin_name_and_text_are_isolated_in_a_persian_page(client):
    article = make_article(language="fa")
    make_comment(article=article, name="John Smith", text="Good piece 2025", status="approved")

    page = client.get(article.get_absolute_url()).content.decode()

    assert '<bdi class="comment__name">John Smith</bdi>' in page
    assert '<div class="comment__text" dir="auto">' in page


def test_the_arabic_script_font_is_self_hosted_with_swap():
    faces = re.findall(r"@font-face \{(.*?)\}", CSS, re.S)

    assert faces
    for face in faces:
        assert "font-display: swap" in face
        url = re.search(r'url\("([^"]+)"\)', face).group(1)
        assert not url.startswith(("http:", "https:", "//"))
        assert (Path(settings.BASE_DIR) / "static/css" / url).resolve().is_file()
    assert "@import" not in CSS and "fonts.googleapis" not in CSS


def test_no_letter_spacing_or_capitals_break_arabic_joining():
    assert ":lang(ar) *, :lang(fa) * { letter-spacing: 0; }" in CSS
    assert "text-transform: none" in CSS


def test_the_site_name_and_tagline_are_the_editions(client):
    page = client.get("/fa/").content.decode()

    assert '<span class="masthead__name">الوقت</span>' in page


def test_arabic_indic_digits_reach_the_ranks_by_setting(client, settings):
    settings.ALWAGHT_ARABIC_DIGITS = "arabic-indic"

    page = client.get("/ar/").content.decode()

    assert '<html lang="ar" dir="rtl" data-digits="arabic-indic">' in page
    assert 'html[data-digits="arabic-indic"] .ranked__item::before' in CSS
