"""Who may do what on the desk: one table, read on every desk path.

Each row names a thing on the desk (a model's label, or "desk" for the desk's own
pages) and an action on it, and says who may take it:

- `roles`: the roles that may at all (superusers always may);
- `desk`: only on things of an edition of one's own desks (the object's edition,
  `EDITION_OF`); lists show only those editions;
- `hold`: an Editor's change to something readers see now is saved for review
  (articles/review.py) instead of being refused or made live;
- `chief_when_live`: on something readers see now (for a part, its owner: a
  gallery's photo rows), only Chief Editors may; an Editor is refused in words.
  For things no held change can carry (a gallery, film or map has no review
  page). On a model's change row it covers every field of the row
  (publishing/apps.py gives them to the write guard, publishing/visibility.py);
- `shared`: a thing every edition shares (photos, tags, authors): a change that
  readers of another desk's published content would see needs a Chief Editor of
  that desk (publishing/sharing.py finds the editions and says so in words).

A role is read from the permissions a user holds (`roles_of`), and the groups'
permissions are made from this table (alwaght/roles.py), so the two cannot drift.
`decide()` answers for one user, thing, action and, optionally, object. The desk
site asks it for every admin address before the view runs (alwaght/desk_access.py),
every ModelAdmin and inline asks it in has_*_permission (so lists, bulk actions,
inlines and list editing follow), and the staff preview asks it.
tests/desk/test_authorization_matrix.py walks every admin address as every role
and fails on any cell that differs; `manage.py desk_rules` prints the table for
docs/security.md. It lives in the bottom layer so that every app may ask it;
articles/workflow.py adds the story's state (submitted, scheduled…) on top of it.
"""

from dataclasses import dataclass
from enum import IntEnum

from publishing.editions import may_edit_edition, user_editions


class Outcome(IntEnum):
    DENY = 0
    HOLD = 1  # allowed, and saved for a Chief Editor's review
    ALLOW = 2


EDITOR, CHIEF, MODERATOR, STAFF = "editor", "chief", "moderator", "staff"
ROLE_NAMES = {
    EDITOR: "Editor",
    CHIEF: "Chief Editor",
    MODERATOR: "Moderator",
    STAFF: "any staff account",
}
# The permission that makes each role (superusers are every role).
ROLE_MARKS = {
    CHIEF: "articles.can_publish",
    EDITOR: "articles.change_article",
    MODERATOR: "comments.can_moderate",
}


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    desk: bool = False
    hold: bool = False
    shared: bool = False
    chief_when_live: bool = False
    never: bool = False  # not even administrators: rows only the site itself writes


def rule(*roles: str, desk=False, hold=False, shared=False, chief_when_live=False) -> Rule:
    return Rule(
        frozenset(roles), desk=desk, hold=hold, shared=shared, chief_when_live=chief_when_live
    )


NOBODY = rule()  # administrators (superusers) only
NEVER = Rule(frozenset(), never=True)
WRITERS = (EDITOR, CHIEF)


def _library(label: str, *, desk: bool, shared: bool = False, chief_when_live=False) -> dict:
    """Rows of a thing Editors write and Chief Editors also delete."""
    return {
        (label, "view"): rule(*WRITERS, desk=desk),
        (label, "add"): rule(*WRITERS, desk=desk),
        (label, "change"): rule(
            *WRITERS, desk=desk, shared=shared, chief_when_live=chief_when_live
        ),
        (label, "delete"): rule(CHIEF, desk=desk, shared=shared),
    }


def _superusers_only(label: str) -> dict:
    return {(label, action): NOBODY for action in ("view", "add", "change", "delete")}


def _article_parts(label: str) -> dict:
    """Rows of rows edited inline in the article form: as the article is."""
    return {
        (label, action): rule(*WRITERS, desk=True, hold=True)
        for action in ("view", "add", "change", "delete")
    }


RULES: dict[tuple[str, str], Rule] = {
    # The desk itself and one's own account.
    ("desk", "enter"): rule(EDITOR, CHIEF, MODERATOR, STAFF),
    ("desk", "own_account"): rule(EDITOR, CHIEF, MODERATOR, STAFF),
    ("desk", "sign_in_locks"): rule(CHIEF),
    ("desk", "system"): NOBODY,
    # Articles: written by the desk's Editors; what readers see, by its Chief Editors.
    ("articles.article", "view"): rule(*WRITERS, desk=True),
    ("articles.article", "add"): rule(*WRITERS, desk=True),
    ("articles.article", "change"): rule(*WRITERS, desk=True, hold=True),
    ("articles.article", "delete"): rule(CHIEF, desk=True),
    ("articles.article", "restore"): rule(*WRITERS, desk=True, hold=True),
    ("articles.article", "recover"): rule(CHIEF, desk=True),  # a deleted one comes back
    ("articles.article", "preview"): rule(*WRITERS, desk=True),
    ("articles.article", "lock"): rule(*WRITERS, desk=True),
    ("articles.article", "take_over_lock"): rule(CHIEF, desk=True),
    ("articles.article", "publish"): rule(CHIEF, desk=True),
    ("articles.article", "take_down"): rule(CHIEF, desk=True),
    ("articles.article", "review"): rule(CHIEF, desk=True),
    ("articles.article", "feature"): rule(CHIEF, desk=True),  # onto Editor's Choice
    # Taking a story out of its counterparts in other editions (articles/counterparts.py):
    # its own desk's, as linking is; an Editor's unlink of a live story waits for review.
    ("articles.article", "unlink_counterparts"): rule(*WRITERS, desk=True, hold=True),
    # The desk's internal notes on a story (articles/workflow.py: may_read_internal_notes).
    ("articles.article", "notes"): rule(*WRITERS, desk=True),
    **_article_parts("articles.relatedarticle"),
    **_article_parts("articles.articlenote"),
    **_article_parts("articles.taggedarticle"),
    ("articles.pendingchange", "view"): rule(*WRITERS, desk=True),
    # Held changes are made by Editors' saves and settled on the review page.
    ("articles.pendingchange", "add"): NEVER,
    ("articles.pendingchange", "change"): NEVER,
    ("articles.pendingchange", "delete"): NEVER,
    ("articles.editorschoice", "view"): rule(*WRITERS, desk=True),
    ("articles.editorschoice", "add"): rule(CHIEF, desk=True),
    ("articles.editorschoice", "change"): rule(CHIEF, desk=True),
    ("articles.editorschoice", "delete"): rule(CHIEF, desk=True),
    **_library("articles.section", desk=True),
    **_library("articles.topic", desk=True),
    # Standing pages are live the moment they are saved: their desk's Chief Editors.
    ("alwaght.page", "view"): rule(*WRITERS, desk=True),
    ("alwaght.page", "add"): rule(CHIEF, desk=True),
    ("alwaght.page", "change"): rule(CHIEF, desk=True),
    ("alwaght.page", "delete"): rule(CHIEF, desk=True),
    # Shared by every edition.
    **_library("articles.author", desk=False, shared=True),
    **_library("taggit.tag", desk=False, shared=True),
    ("taggit.tag", "merge"): rule(CHIEF, shared=True),
    **_library("media.photo", desk=False, shared=True),
    # An edition's library: galleries, films and maps. Everything on them is what readers
    # see (title, slug, description, Exclusive, poster, video, map image), and no held
    # change carries them (articles/review.py holds articles only): on a live one, a
    # Chief Editor's, refused in words to an Editor (publishing/visibility.py).
    **_library("media.photogallery", desk=True, chief_when_live=True),
    # A gallery's photo rows (which photos, their order, captions): as the gallery
    # (media/forms.py refuses an Editor's change to a live gallery's grid).
    ("media.galleryphoto", "view"): rule(*WRITERS, desk=True),
    ("media.galleryphoto", "add"): rule(*WRITERS, desk=True, chief_when_live=True),
    ("media.galleryphoto", "change"): rule(*WRITERS, desk=True, chief_when_live=True),
    ("media.galleryphoto", "delete"): rule(CHIEF, desk=True),
    **_library("media.film", desk=True, chief_when_live=True),
    **_library("media.map", desk=True, chief_when_live=True),
    # Comments: the moderators', in every edition.
    ("comments.comment", "view"): rule(MODERATOR),
    ("comments.comment", "add"): NEVER,  # readers write them
    ("comments.comment", "change"): rule(MODERATOR),
    ("comments.comment", "delete"): rule(MODERATOR),
    ("comments.comment", "moderate"): rule(MODERATOR),
    ("comments.blockedterm", "view"): rule(MODERATOR),
    ("comments.blockedterm", "add"): rule(MODERATOR),
    ("comments.blockedterm", "change"): rule(MODERATOR),
    ("comments.blockedterm", "delete"): rule(MODERATOR),
    # Accounts, devices and sign-in records: administrators.
    **_superusers_only("auth.user"),
    **_superusers_only("auth.group"),
    # Sign-in records are written by the sign-in alone.
    **_superusers_only("axes.accessattempt"),
    **_superusers_only("axes.accesslog"),
    **_superusers_only("axes.accessfailurelog"),
    ("axes.accessattempt", "add"): NEVER,
    ("axes.accesslog", "add"): NEVER,
    ("axes.accessfailurelog", "add"): NEVER,
    **_superusers_only("otp_totp.totpdevice"),
    **_superusers_only("otp_static.staticdevice"),
}

# How to find the edition of a thing whose rows do not carry it themselves.
EDITION_OF = {
    "articles.pendingchange": "article__language",
    "articles.relatedarticle": "article__language",
    "articles.articlenote": "article__language",
    "articles.taggedarticle": "content_object__language",
    "media.galleryphoto": "gallery__language",
}


def chief_only_when_live(label: str) -> bool:
    """Return whether every change to a live `label` row is a Chief Editor's (no held change)."""
    row = RULES.get((label, "change"))
    return bool(row and row.chief_when_live)


def roles_of(user) -> set[str]:
    """Return the roles `user` holds (superusers hold all)."""
    if not (getattr(user, "is_active", False) and getattr(user, "is_staff", False)):
        return set()
    roles = {STAFF}
    roles.update(role for role, permission in ROLE_MARKS.items() if user.has_perm(permission))
    return roles


def edition_of(label: str, obj) -> str | None:
    """Return the edition of `obj`, a `label` row, or None for things of every edition."""
    path = EDITION_OF.get(label, "language")
    value = obj
    for step in path.split("__"):
        value = getattr(value, step, None)
        if value is None:
            return None
    return value


def decide(user, label: str, action: str, obj=None) -> Outcome:
    """Return what `user` gets for `action` on `label` (`obj`: one of its rows, or None)."""
    if not allows(user, label, action, obj):
        return Outcome.DENY
    row = RULES[(label, action)] if (label, action) in RULES else None
    if obj is not None and row is not None and row.hold and CHIEF not in roles_of(user):
        return Outcome.HOLD if _is_live(label, obj) else Outcome.ALLOW
    if obj is not None and row is not None and row.chief_when_live and CHIEF not in roles_of(user):
        return Outcome.DENY if _is_live(label, obj) else Outcome.ALLOW
    return Outcome.ALLOW


def allows(user, label: str, action: str, obj=None) -> bool:
    """Return whether `user` may take `action` on `label` at all (held for review counts)."""
    if not (getattr(user, "is_active", False) and getattr(user, "is_staff", False)):
        return False
    row = RULES.get((label, action))
    if row is not None and row.never:
        return False
    if user.is_superuser:
        return True
    if row is None or not (row.roles & roles_of(user)):
        return False
    if row.desk:
        if obj is None:
            if not user_editions(user):
                return False
        elif not may_edit_edition(user, edition_of(label, obj)):
            return False
    return not (
        obj is not None and row.shared and action != "view" and _refused_elsewhere(obj, user)
    )


def _refused_elsewhere(obj, user) -> bool:
    from publishing.sharing import editions_refused

    if not obj.pk:
        return False
    memo = obj.__dict__.setdefault("_editions_refused", {})  # asked several times a page
    if user.pk not in memo:
        memo[user.pk] = bool(editions_refused(obj, user))
    return memo[user.pk]


def _is_live(label: str, obj) -> bool:
    """Return whether readers see `obj` (or, for a part, its owner: article, gallery) now."""
    from publishing.models import Publishable
    from publishing.visibility import stored_values

    head = EDITION_OF.get(label, "article").split("__")[0]
    owner = obj if isinstance(obj, Publishable) else getattr(obj, head, None)
    if owner is None or owner.pk is None:
        return False
    stored = stored_values(type(owner), owner.pk)
    return bool(stored and stored.get("status") == Publishable.Status.PUBLISHED)


def markdown_table() -> str:
    """Return the table as Markdown, one row per thing and action (docs/security.md)."""
    lines = [
        "| thing | action | who | desk | on live content |",
        "|---|---|---|---|---|",
    ]
    for (label, action), row in RULES.items():
        who = ", ".join(ROLE_NAMES[role] for role in ROLE_NAMES if role in row.roles)
        who = "nobody (the site writes them)" if row.never else who
        desk = "own edition" if row.desk else ("every edition that shows it" if row.shared else "")
        live = "Editors' changes held for review" if row.hold else ""
        live = "Chief Editors only" if row.chief_when_live else live
        lines.append(f"| {label} | {action} | {who or 'administrators'} | {desk} | {live} |")
    return "\n".join(lines) + "\n"
