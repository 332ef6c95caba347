"""Plain helpers that make model rows for tests; every argument can be overridden."""

import io
import itertools
from datetime import timedelta

from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, EditorsChoice, RelatedArticle, Section, Topic
from comments.models import Comment

_sequence = itertools.count(1)


def make_section(**overrides) -> Section:
    number = next(_sequence)
    fields = {"name": f"Section {number}", "slug": f"section-{number}", "position": number}
    fields.update(overrides)
    return Section.objects.create(**fields)


def make_article(*, tags=(), **overrides) -> Article:
    """Create a published article (an hour old) unless overrides say otherwise."""
    number = next(_sequence)
    fields = {
        "title": f"Article number {number}",
        "lead": f"The lead of article {number}.",
        "body": f"<p>Body of article {number}.</p>",
        "status": Article.Status.PUBLISHED,
        "publish_at": timezone.now() - timedelta(hours=1),
    }
    fields.update(overrides)
    if "section" not in fields:
        fields["section"] = make_section(language=fields.get("language", "en"))
    article = Article.objects.create(**fields)
    if tags:
        article.tags.set(list(tags))
    return article


def make_author(**overrides) -> Author:
    number = next(_sequence)
    fields = {"name": f"Writer {number}", "slug": f"writer-{number}", "bio": f"Bio {number}."}
    fields.update(overrides)
    return Author.objects.create(**fields)


def make_topic(**overrides) -> Topic:
    number = next(_sequence)
    fields = {
        "name": f"Topic {number}",
        "slug": f"topic-{number}",
        "description": f"What topic {number} is about.",
    }
    fields.update(overrides)
    return Topic.objects.create(**fields)


def make_related(article: Article, related: Article, position: int = 0) -> RelatedArticle:
    return RelatedArticle.objects.create(article=article, related=related, position=position)


def make_editors_choice(article: Article, **overrides) -> EditorsChoice:
    """Add a slot at the end of its edition's list unless a position is given (unique in it)."""
    if "position" not in overrides:
        last = EditorsChoice.objects.filter(language=article.language).order_by("-position")
        last = last.values_list("position", flat=True)
        overrides["position"] = (last.first() or 0) + 1
    return EditorsChoice.objects.create(article=article, **overrides)


def make_comment(*, article=None, **overrides) -> Comment:
    number = next(_sequence)
    fields = {
        "name": f"Reader {number}",
        "email": f"reader{number}@example.org",
        "text": f"Comment number {number}.",
        "ip_address": "203.0.113.7",
    }
    fields.update(overrides)
    return Comment.objects.create(article=article or make_article(), **fields)


# The article admin's inline management forms (Related Content, notes), empty.
EMPTY_ARTICLE_INLINES = {
    "related_links-TOTAL_FORMS": "0",
    "related_links-INITIAL_FORMS": "0",
    "notes-TOTAL_FORMS": "0",
    "notes-INITIAL_FORMS": "0",
}


def make_photo(*, size=(800, 600), color=(40, 90, 160), **overrides):
    from media.models import Photo

    number = next(_sequence)
    fields = {
        "title": f"Photo {number}",
        "alt_text": f"What photo {number} shows",
        "caption": f"Caption {number}",
    }
    fields.update(overrides)
    photo = Photo(**fields)
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    from django.core.files.base import ContentFile

    photo.image.save(f"p{number}.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.save()
    return photo


def make_gallery(*, photos=0, **overrides):
    from media.models import GalleryPhoto, PhotoGallery

    number = next(_sequence)
    fields = {
        "title": f"Gallery {number}",
        "slug": f"gallery-{number}",
        "status": "published",
        "publish_at": timezone.now() - timedelta(hours=1),
    }
    fields.update(overrides)
    gallery = PhotoGallery.objects.create(**fields)
    for position in range(photos):
        GalleryPhoto.objects.create(
            gallery=gallery, photo=make_photo(size=(400, 300)), position=position
        )
    return gallery


def make_film(**overrides):
    from media.models import Film

    number = next(_sequence)
    fields = {
        "title": f"Film {number}",
        "slug": f"film-{number}",
        "status": "published",
        "publish_at": timezone.now() - timedelta(hours=1),
        "embed_host": "youtube",
        "embed_id": "M7lc1UVf-VE",
    }
    fields.update(overrides)
    if "poster" not in fields:
        fields["poster"] = make_photo(size=(400, 225))
    return Film.objects.create(**fields)


def make_map(**overrides):
    from media.models import Map

    number = next(_sequence)
    fields = {
        "title": f"Map {number}",
        "slug": f"map-{number}",
        "status": "published",
        "publish_at": timezone.now() - timedelta(hours=1),
    }
    fields.update(overrides)
    if "photo" not in fields:
        fields["photo"] = make_photo(size=(400, 300))
    return Map.objects.create(**fields)


def stored_files(folder: str = "") -> list[str]:
    """Return the names of every stored file under `folder`, through the storage API.

    Tests look at uploads as the site does (it may keep them in a bucket).
    """
    from django.core.files.storage import default_storage

    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for name in folders:
        names += stored_files(prefix + name)
    return sorted(names)


ROLE_GROUPS = {"editor": "Editors", "chief": "Chief Editors", "moderator": "Moderators"}
DESK_GROUPS = {"en": "English desk", "ar": "Arabic desk", "fa": "Persian desk"}


def make_staff(username: str, *, role: str, desks=("en",)):
    """Create a staff account in a role's group and the given editions' desks."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username, password="pw-for-tests-only-1", is_staff=True)
    user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    for code in desks:
        user.groups.add(Group.objects.get(name=DESK_GROUPS[code]))
    return user
