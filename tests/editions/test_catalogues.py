"""The Arabic and Persian catalogues are complete, and the compiled ones match them."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
STRING = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def entries(po: Path) -> list[dict]:
    """Parse a .po file into entries: {"flags": set, "msgid": str, "msgstr[0]": str, ...}."""
    found, entry, key = [], None, None
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                found.append(entry)
            entry, key = None, None
            continue
        entry = entry or {"flags": set(), "obsolete": False}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith('"'):
            entry[key] += (
                bytes(line[1:-1], "utf-8")
                .decode("unicode_escape")
                .encode("latin-1")
                .decode("utf-8")
            )
        elif match := STRING.match(line):
            key = match.group(1)
            entry[key] = (
                bytes(match.group(2), "utf-8")
                .decode("unicode_escape")
                .encode("latin-1")
                .decode("utf-8")
            )
    return [item for item in found if not item["obsolete"]]


# django: code and templates; djangojs: the desk's scripts (served by admin:jsi18n).
CATALOGUES = {"django": 250, "djangojs": 5}  # at least this many entries each


@pytest.mark.parametrize("language", ["ar", "fa"])
@pytest.mark.parametrize("domain", CATALOGUES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language, domain):
    po = entries(LOCALE / language / "LC_MESSAGES" / f"{domain}.po")
    header, messages = po[0], po[1:]

    assert len(messages) > CATALOGUES[domain]  # the catalogue is there and this test reads it
    assert "fuzzy" not in header["flags"]
    assert [m["msgid"] for m in messages if "fuzzy" in m["flags"]] == []
    untranslated = [
        m["msgid"]
        for m in messages
        if not all(value for key, value in m.items() if key.startswith("msgstr"))
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", ["ar", "fa"])
@pytest.mark.parametrize("domain", CATALOGUES)
def test_compiled_catalogue_matches_the_po_file(language, domain):
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / f"{domain}.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    for message in entries(folder / f"{domain}.po")[1:]:
        if "msgid_plural" in message or "msgctxt" in message:
            continue
        assert compiled.gettext(message["msgid"]) == message["msgstr"], message["msgid"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ar", ["اختيارات المحرر", "الأكثر قراءة", "تحت المجهر", "الأخبار"]),
        ("fa", ["انتخاب سردبیر", "پربازدیدترین‌ها", "در کانون توجه", "خبرها"]),
    ],
)
def test_the_front_page_speaks_the_edition(language, words):
    page = Client().get(f"/{language}/").content.decode()
    translation.activate("en")

    for word in words:
        assert word in page
    assert "Editor's Choice" not in page and "Most Viewed" not in page
