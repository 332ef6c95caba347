"""How the desk shows a change: values as editors read them, side by side, word by word.

Shared by the review page (a held change against the live story) and the compare
page (two saved versions). Editors read the text readers would read, not its
markup: a body is shown as its paragraphs (links and images named), and a
related row by its name ("Nadia Karimi", not "3"). Every word is escaped here;
only the <del>, <ins> and <br> this module adds are markup.
"""

import difflib
import html
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from publishing.desk_dates import desk_date

# Block ends become line breaks, so paragraphs stay paragraphs in the diff.
_BLOCK_END = re.compile(
    r"</(p|h[1-6]|li|blockquote|figure|figcaption|tr|caption)>|<br\s*/?>|<hr\s*/?>"
)
_LINK = re.compile(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_IMAGE = re.compile(r"<img\b[^>]*?>", re.S)
_ALT = re.compile(r'alt="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def html_to_text(markup: str) -> str:
    """Return stored (sanitised) HTML as the text readers read, one paragraph a line.

    Links keep their address in brackets and images their description: a reviewer
    must see where a link goes and what a picture says, not only the words.
    """
    text = _LINK.sub(lambda m: f"{m.group(2)} [{m.group(1)}]", markup or "")
    text = _IMAGE.sub(lambda m: _image_text(m.group(0)), text)
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _image_text(tag: str) -> str:
    alt = _ALT.search(tag)
    return " [%s] " % (_("Image: %s") % html.unescape(alt.group(1)) if alt else _("Image"))


def shown_value(value) -> str:
    """Return a plain value as an editor reads it (names and text are given as text)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return desk_date(value)
    if isinstance(value, list | tuple):
        return listed(str(item) for item in value)
    return str(value)


def listed(items) -> str:
    """Return `items` listed as the desk's language separates them ("a, b"; "a، b")."""
    return pgettext("between the items of a list", ", ").join(items)


def edition_name(code: str) -> str:
    """Return an edition's name ("Persian") for its code."""
    return str(dict(settings.LANGUAGES).get(code, code))


@dataclass(frozen=True)
class Row:
    """One field of a comparison: its label and both sides, marked word by word."""

    name: str
    label: str
    old: SafeString
    new: SafeString


NEWLINE = "\n"


def _tokens(text: str) -> list[str]:
    # Words, and line breaks as tokens of their own (paragraphs survive the diff).
    return [token for line in text.split("\n") for token in [*line.split(), NEWLINE]][:-1]


def _join(pieces: list[str], separator: str) -> str:
    out = ""
    for piece in pieces:
        if piece == "<br>":
            out += "<br>"
        else:
            out += ("" if not out or out.endswith("<br>") else separator) + piece
    return out


def _marked(tokens: list[str], tag: str, separator: str) -> list[str]:
    """Escape a run of changed words and wrap it in one <del> or <ins> (line by line)."""
    pieces, run = [], []
    for word in [*tokens, None]:
        if word is None or word == NEWLINE:
            if run:
                pieces.append(f"<{tag}>{separator.join(escape(each) for each in run)}</{tag}>")
                run = []
            if word == NEWLINE:
                pieces.append("<br>")
        else:
            run.append(word)
    return pieces


def side_by_side(old: str | list, new: str | list) -> tuple[SafeString, SafeString]:
    """Return `old` and `new` as escaped HTML: removed words in <del>, added in <ins>.

    Text is compared word by word; lists (tags, topics, picks) item by item.
    """
    separator = ", " if isinstance(old, list) or isinstance(new, list) else " "
    before = list(old) if isinstance(old, list) else _tokens(old)
    after = list(new) if isinstance(new, list) else _tokens(new)
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            same = ["<br>" if t == NEWLINE else escape(t) for t in before[a1:a2]]
            left += same
            right += same
            continue
        left += _marked(before[a1:a2], "del", separator)
        right += _marked(after[b1:b2], "ins", separator)
    # Every word was escaped above; the only markup is ours.
    return (
        mark_safe(_join(left, separator) or "—"),  # noqa: S308
        mark_safe(_join(right, separator) or "—"),  # noqa: S308
    )


def row(name: str, label: str, old: str | list, new: str | list) -> Row:
    """Return one compared field, marked word by word (or item by item)."""
    left, right = side_by_side(old, new)
    return Row(name, str(label), left, right)
