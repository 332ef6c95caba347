"""Counterparts: one story told by several editions, linked by a shared group.

Only linked articles carry hreflang alternates (and the masthead's edition
switcher leads to them); an article without counterparts costs no query.

Who may link (issue 20 M1, issue 22 item 5): a desk links its own article to
another edition's story, which it picks from a read-only list (its own editions'
articles and other editions' live ones). Joining an existing group adds the desk's
article to it; it never moves another edition's article from one group to another.
So a link that would merge two groups is refused with words unless the user writes
in every edition it touches, and one that would give a group a second article of
one edition is refused whoever asks (the switcher would have two answers).

Unlinking changes every story of the group (their edition switchers led to this one),
so it is refused while someone else has one of them open in the desk (a live edit
lock, articles/editing.py): they would save a story whose links changed under them.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _

from articles.editing import lock_held_by_others
from articles.models import Article
from articles.signals import counterparts_changed
from publishing.editions import may_edit_edition, user_editions
from web.bidi import isolated
from web.people import person_name


class CounterpartRefused(PermissionDenied):
    """A link that would change other editions' stories' links, by a user not on their desks."""


class CounterpartLocked(CounterpartRefused):
    """An unlink that would change a story someone else has open in the desk."""


def counterpart_candidates(user):
    """Return the articles `user` may pick as a counterpart: their editions', others' live ones.

    Another desk's drafts stay that desk's (not even their titles are listed).
    """
    articles = Article.objects.all()
    if user is None or user.is_superuser:
        return articles
    return articles.filter(language__in=user_editions(user)) | Article.objects.published()


def _members(group, *, lock: bool = False):
    if group is None:
        return []
    members = Article.objects.filter(translation_group=group).order_by("pk")
    return list((members.select_for_update() if lock else members).only("pk", "title", "language"))


def counterpart_link_problem(
    *, article: Article, counterpart: Article, user, language: str | None = None
) -> str | None:
    """Return why `user` may not link `article` to `counterpart`, or None if they may.

    `language`: the edition the form is about to save `article` in, if not its own.
    """
    return _problem(article, counterpart, user, lock=False, language=language)


def counterpart_move_problem(article: Article, language: str) -> str | None:
    """Return why `article` may not move to edition `language`: a counterpart is there.

    A group with two stories of one edition has no answer for its edition switcher or
    its hreflang links, whoever moves one (one query, for a linked story only).
    """
    if article.translation_group is None or article.pk is None:
        return None
    there = (
        Article.objects.filter(translation_group=article.translation_group, language=language)
        .exclude(pk=article.pk)
        .first()
    )
    if there is None:
        return None
    return _(
        "“%(other)s” is this story's counterpart in the %(edition)s edition: unlink the two first."
    ) % {"other": there.isolated_title, "edition": there.get_language_display()}


def _refuse_a_move_onto_a_counterpart(sender, instance, raw=False, update_fields=None, **kwargs):
    if update_fields is not None and "language" not in update_fields:
        return
    problem = counterpart_move_problem(instance, instance.language)
    if problem:
        raise CounterpartRefused(problem)


def connect_signals() -> None:
    """Every save keeps a story's group to one story per edition (called from apps.py)."""
    pre_save.connect(
        _refuse_a_move_onto_a_counterpart, sender=Article, dispatch_uid="counterparts:move"
    )


def _problem(article, counterpart, user, *, lock, language=None):
    if counterpart.language == (language or article.language):
        return _("A counterpart is in another edition.")
    if user is not None and not counterpart_candidates(user).filter(pk=counterpart.pk).exists():
        return _("Choose a published article of another edition.")
    if article.translation_group and article.translation_group == counterpart.translation_group:
        return None  # already linked
    # The articles that join the counterpart's group: this one and those it is linked with.
    linked = _members(article.translation_group, lock=lock)
    joining = [article, *(member for member in linked if member != article)]
    theirs = _members(counterpart.translation_group, lock=lock)
    editions = {m.language for m in joining}
    # Whoever asks: a group with two stories of one edition has no answer for its
    # edition switcher or its hreflang links.
    clash = [m for m in theirs if m.language in editions]
    if all(may_edit_edition(user, m.language) for m in [*joining, *theirs]) and not clash:
        return None  # the user writes in every edition whose links change
    others = [m for m in joining if not may_edit_edition(user, m.language)]
    if others:
        return _(
            "“%(article)s” is already linked with “%(other)s” (%(edition)s). Linking it to "
            "“%(counterpart)s” would change that story's links too: unlink it first, or ask "
            "someone who writes in both editions."
        ) % {
            "article": article.isolated_title,
            "other": others[0].isolated_title,
            "edition": others[0].get_language_display(),
            "counterpart": counterpart.isolated_title,
        }
    if clash:
        return _(
            "“%(counterpart)s” is already linked with “%(other)s” (%(edition)s): unlink that "
            "one first."
        ) % {
            "counterpart": counterpart.isolated_title,
            "other": clash[0].isolated_title,
            "edition": clash[0].get_language_display(),
        }
    return None


@transaction.atomic
def article_counterparts_link(*, article: Article, counterpart: Article, user=None) -> None:
    """Put `article` and `counterpart` (and any counterparts they have) in one group.

    `user` (None: the system) is checked here, on the write path, as the form checked
    it: a refusal raises CounterpartRefused with the reason.
    """
    if article.pk == counterpart.pk:
        return
    problem = _problem(article, counterpart, user, lock=True)
    if problem:
        raise CounterpartRefused(problem)
    groups = {g for g in (article.translation_group, counterpart.translation_group) if g}
    # The counterpart's group, if it has one: its members' rows stay as they are.
    group = counterpart.translation_group or article.translation_group or uuid.uuid4()
    # update(): the group is not a watched publishing field, and linking is not an edit
    # of either article's text (no revision, no "last changed by").
    Article.objects.filter(pk__in=[article.pk, counterpart.pk]).update(translation_group=group)
    if len(groups) > 1:
        Article.objects.filter(translation_group__in=groups).update(translation_group=group)
    article.translation_group = counterpart.translation_group = group
    members = Article.objects.filter(translation_group=group).values_list("pk", flat=True)
    counterparts_changed.send(sender=Article, article_ids=list(members))


@transaction.atomic
def article_counterparts_unlink(*, article: Article, user=None, requested_by=None) -> None:
    """Take `article` out of its group of counterparts; the others stay linked together.

    `user` (None: the system) must write in the article's edition, checked here on the
    write path: a desk unlinks its own story, as it links it, and never moves another
    edition's. A group left with one story is emptied: that story is linked with
    nothing, and costs no query for counterparts again. Every former member's pages
    change (their edition switchers led to this story): `counterparts_changed` names them.

    While anyone but `user` and `requested_by` (the Editor whose held unlink a Chief
    Editor publishes: they asked for it) holds the edit lock of one of those stories,
    this raises CounterpartLocked, naming them, and changes nothing.
    """
    row = (
        Article.objects.select_for_update()
        .filter(pk=article.pk)
        .values("translation_group", "language")
        .first()
    )
    article.translation_group = None
    if row is None or row["translation_group"] is None:
        return  # linked with nothing (unlinked meanwhile): nothing changes
    if user is not None and not may_edit_edition(user, row["language"]):
        raise CounterpartRefused(
            _("Only a desk of its edition unlinks a story from its counterparts.")
        )
    members = _members(row["translation_group"], lock=True)
    lock = lock_held_by_others(
        article_ids=[member.pk for member in members], users=[user, requested_by]
    )
    if lock is not None:
        story = next(member for member in members if member.pk == lock.article_id)
        raise CounterpartLocked(
            _(
                "%(name)s is editing “%(title)s” (%(edition)s): unlinking would change it "
                "under them. Try again once they have closed it."
            )
            % {
                "name": isolated(person_name(lock.user)),
                "title": story.isolated_title,
                "edition": story.get_language_display(),
            }
        )
    rest = [member.pk for member in members if member.pk != article.pk]
    alone = rest if len(rest) == 1 else []
    Article.objects.filter(pk__in=[article.pk, *alone]).update(translation_group=None)
    counterparts_changed.send(sender=Article, article_ids=[article.pk, *rest])
