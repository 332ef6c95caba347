"""The demo edition's standing pages (About, Contact, Privacy, Terms), in our own words.

The privacy page states what this installation's settings actually do with
readers' data, so its figures come from settings when the demo is loaded.
"""

from html import escape

from django.conf import settings

from alwaght.models import Page


def _html(blocks: list[str]) -> str:
    parts = []
    for block in blocks:
        if block.startswith("## "):
            parts.append(f"<h2>{escape(block[3:])}</h2>")
        elif block.startswith("- "):
            items = "".join(f"<li>{escape(item)}</li>" for item in block[2:].split("\n- "))
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{escape(block)}</p>")
    return "\n".join(parts)


def standing_pages() -> dict[str, tuple[str, list[str]]]:
    """Return {slug: (title, blocks)} for the demo edition."""
    site = settings.SITE_NAME
    ip_days = settings.COMMENTS_IP_RETENTION_DAYS
    seen_minutes = settings.VIEW_REPEAT_SECONDS // 60
    attempts, window = settings.COMMENTS_RATE_LIMIT
    return {
        "about": (
            f"About {site}",
            [
                f"{site} is a demonstration edition of an open-source newsroom system: a "
                "news and analysis site with an English edition and room for Arabic and "
                "Persian ones.",
                "Every article, person, place and event in this demo is invented to show "
                "how the site works. Nothing here is news.",
                "## How we work",
                "Editors write and submit articles; a chief editor reviews and publishes "
                "them. Corrections and updates are dated at the foot of the article they "
                "change.",
            ],
        ),
        "contact": (
            "Contact",
            [
                "Newsroom: newsroom@example.org (a demonstration address: nothing sent "
                "there is read).",
                "To ask for your comments to be erased, write from the address you used "
                "when commenting; every comment sent with it is deleted.",
            ],
        ),
        "privacy": (
            "Privacy",
            [
                "## Reading",
                "Reading this site sets no cookies, and its pages load nothing from other "
                "websites: no advertising, analytics, web fonts or share buttons.",
                "To count a view of an article only once per reader, the server remembers "
                "your IP address together with the article for "
                f"{seen_minutes} minutes, in its temporary memory (cache), never in the "
                "database. What is stored is a number of views per article and hour, "
                "with nothing about who read it; counts older than a month are deleted.",
                "## Comments",
                "When you send a comment we keep:",
                "- your text, and the name and email address if you give them (both are "
                "optional);\n- the time it was sent;\n- your IP address.",
                "Your name is shown with your comment once a moderator approves it; your "
                "email address is never shown. Your IP address is used only against abuse "
                f"(at most {attempts} comments per {window} seconds from one address, and "
                f"a blocklist) and is erased after {ip_days} days by the site's daily "
                "housekeeping. Comments, names and "
                "email addresses are kept while the comment stays on the site.",
                "You can ask for every comment sent with your email address to be erased "
                "(see Contact).",
                "## Staff",
                "Only signed-in staff receive a session cookie, for the editing desk.",
                "## Server logs",
                "Like any website, the server that runs it may keep short access logs "
                "(address, page, time) for security; each installation's operator decides "
                "how long.",
            ],
        ),
        "terms": (
            "Terms of use",
            [
                f"The content of {site} is provided for demonstration. You may quote short "
                "extracts with a link to the article.",
                "Comments must keep to the subject, respect other readers and the law. "
                "Moderators may refuse any comment; nothing appears before it is approved.",
                "Links to other websites are given for information; we are not responsible "
                "for their content.",
            ],
        ),
    }


def load_standing_pages(language: str = "en") -> None:
    """Create the standing pages once (keyed on their slugs); editors' versions stay."""
    for slug, (title, blocks) in standing_pages().items():
        Page.objects.get_or_create(
            language=language, slug=slug, defaults={"title": title, "body": _html(blocks)}
        )
