"""Load the demo edition and, on request, a large synthetic archive for load tests."""

import itertools
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from html import escape

import reversion
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag

from alwaght.demo.content import (
    ARTICLES,
    AUTHORS,
    COMMENTS,
    EDITORS_CHOICE,
    FILMS,
    GALLERIES,
    MAPS,
    RELATED_PICKS,
    SECTIONS,
    TOPIC_FOR_TAG,
    TOPIC_KEYS,
    TOPICS,
    UPDATES,
)
from alwaght.demo.content_editions import EDITIONS
from alwaght.demo.images import illustration_jpeg, map_png
from alwaght.demo.pages import load_standing_pages
from articles.counterparts import article_counterparts_link
from articles.editors_choice import choice_add_at_end, choice_place
from articles.models import (
    Article,
    ArticleNote,
    Author,
    EditorsChoice,
    RelatedArticle,
    SearchEntry,
    Section,
    TaggedArticle,
    Topic,
    unicode_slug,
)
from articles.sanitize import sanitize_html
from articles.search_index import stems_write
from articles.urling import article_slug
from comments.models import Comment
from media.models import Film, GalleryPhoto, Map, Photo, PhotoGallery
from popularity.models import ViewCount, start_of_hour
from publishing.dates import localize_digits

DEMO_BYLINE = "Alwaght demo desk"
SYNTHETIC_SLUG_PREFIX = "load-test-"


def body_html(blocks: list[str]) -> str:
    """Turn the demo's plain blocks into HTML: paragraphs, "## " headings, "> " quotes."""
    parts = []
    for block in blocks:
        if block.startswith("## "):
            parts.append(f"<h2>{escape(block[3:])}</h2>")
        elif block.startswith("> "):
            parts.append(f"<blockquote><p>{escape(block[2:])}</p></blockquote>")
        else:
            parts.append(f"<p>{escape(block)}</p>")
    return "\n".join(parts)


@transaction.atomic
def load_demo_edition(now: datetime | None = None) -> int:
    """Create the demo sections, articles and Editor's Choice; return articles created.

    Keyed on slugs, so a second run creates nothing and leaves editors' changes alone.
    """
    now = now or timezone.now()
    sections = {}
    for position, (name, slug, description) in enumerate(SECTIONS):
        sections[slug], _ = Section.objects.get_or_create(
            language="en",
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )
        give_counterpart_key(sections[slug], slug)

    topics = {}
    for position, (name, description, body, in_focus) in enumerate(TOPICS):
        topics[name], _ = Topic.objects.get_or_create(
            language="en",
            slug=unicode_slug(name),
            defaults={
                "name": name,
                "description": description,
                "body": f"<p>{escape(body)}</p>",
                "in_focus": in_focus,
                "position": position,
            },
        )
        give_counterpart_key(topics[name], TOPIC_KEYS.get(name, ""))

    authors = [demo_author(name, bio, palette) for name, bio, palette in AUTHORS]
    created = []
    by_title = {}
    for index, item in enumerate(ARTICLES):
        # Most articles are signed by a writer; every fifth by the desk (a plain byline).
        by_desk = index % 5 == 4
        article, is_new = Article.objects.get_or_create(
            language="en",
            slug=article_slug(item["title"]),
            defaults={
                "section": sections[item["section"]],
                "title": item["title"],
                "lead": item["lead"],
                "body": body_html(item["body"]),
                "byline": DEMO_BYLINE if by_desk else "",
                "author": None if by_desk else authors[index % len(authors)],
                "status": Article.Status.PUBLISHED,
                # Spread over the last three weeks, newest first in the list's order.
                "publish_at": now - timedelta(hours=7 * index + 1),
            },
        )
        if is_new:
            created.append(article)
            add_demo_comments(article, COMMENTS.get(item["title"], []))
            article.tags.set(item["tags"])
            article.topics.set(
                topics[TOPIC_FOR_TAG[tag]] for tag in item["tags"] if tag in TOPIC_FOR_TAG
            )
            record_demo_views(article, popularity=len(ARTICLES) - index, now=now)
            if index % 4 != 3:  # most, not all, articles carry a main image
                attach_illustration(article, item["section"])
            if index in UPDATES:
                ArticleNote.objects.create(
                    article=article,
                    kind=ArticleNote.Kind.UPDATE,
                    text=UPDATES[index],
                    noted_at=min(article.publish_at + timedelta(hours=3), now),
                )
        by_title[item["title"]] = article

    for position, title in enumerate(EDITORS_CHOICE, start=1):
        # Placed, not written at its number: a list closes up when a slot goes
        # (articles/editors_choice.py), so a story deleted since and loaded again takes
        # its place with the others moving down, where its number may be another's.
        if not EditorsChoice.objects.filter(article=by_title[title]).exists():
            choice_place(slot=EditorsChoice(article=by_title[title]), position=position)
    for title, related_titles in RELATED_PICKS.items():
        for position, related_title in enumerate(related_titles, start=1):
            RelatedArticle.objects.get_or_create(
                article=by_title[title],
                related=by_title[related_title],
                defaults={"position": position},
            )
    save_first_revisions(created)
    load_demo_media(now)
    load_standing_pages()
    created_count = len(created)
    for language, content in EDITIONS.items():
        created_count += load_other_edition(language, content, by_title, now)
    return created_count


def give_counterpart_key(item, key: str) -> None:
    """Give a demo section or topic its key across editions, unless it has one (or it is taken)."""
    if not key or item.counterpart_key:
        return
    holders = type(item).objects.filter(language=item.language, counterpart_key=key)
    if not holders.exists():
        item.counterpart_key = key
        item.save(update_fields=["counterpart_key"])


def save_first_revisions(articles: list[Article]) -> None:
    """Save each new article's first version, so it has a history and can be recovered."""
    for article in articles:
        with reversion.create_revision():
            # Registration follows tags, related links and notes (articles/models/article.py).
            reversion.add_to_revision(article)
            reversion.set_comment("Loaded with the demo edition.")


def load_other_edition(language: str, content: dict, english: dict, now: datetime) -> int:
    """Create one Arabic-script edition's sections, topics, articles and media once.

    Articles naming an English `counterpart` are linked to it. Returns articles created.
    """
    sections = {}
    for position, (name, slug, description) in enumerate(content["sections"]):
        sections[name], _ = Section.objects.get_or_create(
            language=language,
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )
        # Listed in the English sections' order: the same key, the same section.
        give_counterpart_key(sections[name], SECTIONS[position][1])
    topics = {}
    for position, (name, description, body, in_focus) in enumerate(content["topics"]):
        topics[name], _ = Topic.objects.get_or_create(
            language=language,
            slug=unicode_slug(name),
            defaults={
                "name": name,
                "description": description,
                "body": f"<p>{escape(body)}</p>",
                "in_focus": in_focus,
                "position": position,
            },
        )
        give_counterpart_key(topics[name], content["topic_keys"].get(name, ""))
    # The edition's own writers, named and introduced in its language.
    authors = [
        demo_author(name, bio, palette, words=content) for name, bio, palette in content["authors"]
    ]
    created = []
    by_title = {}
    for index, item in enumerate(content["articles"]):
        # Most articles are signed by a writer; every fourth by the desk (a plain byline).
        by_desk = index % 4 == 3
        article, is_new = Article.objects.get_or_create(
            language=language,
            slug=article_slug(item["title"]),
            defaults={
                "section": sections[item["section"]],
                "title": item["title"],
                "lead": item["lead"],
                "body": body_html(item["body"]),
                "byline": content.get("byline", DEMO_BYLINE) if by_desk else "",
                "author": None if by_desk else authors[index % len(authors)],
                "status": Article.Status.PUBLISHED,
                "publish_at": now - timedelta(hours=9 * index + 2),
            },
        )
        if is_new:
            created.append(article)
            add_demo_comments(article, content["comments"].get(item["title"], []))
            article.tags.set(item["tags"])
            article.topics.set(
                topics[content["topic_for_tag"][tag]]
                for tag in item["tags"]
                if tag in content["topic_for_tag"]
            )
            record_demo_views(article, popularity=len(content["articles"]) - index, now=now)
            if index % 3 != 2:
                palette = ["news", "report", "analysis"][index % 3]
                article.photo = demo_photo(
                    article.title, content["illustration"], palette, words=content
                )
                article.save(update_fields=["photo"])
            if item.get("counterpart") in english:
                article_counterparts_link(article=article, counterpart=english[item["counterpart"]])
        by_title[item["title"]] = article
    # Each edition numbers its own slots: these go after any the edition has.
    for title in content["editors_choice"]:
        if not EditorsChoice.objects.filter(article=by_title[title]).exists():
            choice_add_at_end(article=by_title[title])
    save_first_revisions(created)
    load_demo_media(now, language=language, content=content)
    load_standing_pages(language)
    return len(created)


def load_demo_media(now: datetime, language: str = "en", content: dict | None = None) -> None:
    """Create an edition's demo galleries, film and maps once (keyed on their slugs)."""
    content = content or {"galleries": GALLERIES, "films": FILMS, "maps": MAPS}
    palettes = ["report", "analysis", "news", "interview", "opinion"]
    for index, (title, description, exclusive, photos) in enumerate(content["galleries"]):
        gallery, created = PhotoGallery.objects.get_or_create(
            slug=unicode_slug(title),
            defaults={
                "language": language,
                "title": title,
                "description": description,
                "exclusive": exclusive,
                "status": PhotoGallery.Status.PUBLISHED,
                "publish_at": now - timedelta(hours=5 + 30 * index),
            },
        )
        if created:
            for position, (photo_title, caption) in enumerate(photos):
                palette = palettes[position % len(palettes)]
                photo = demo_photo(photo_title, caption, palette, words=content)
                GalleryPhoto.objects.create(gallery=gallery, photo=photo, position=position)
    for title, description, exclusive, host, video_id, *length in content["films"]:
        if not Film.objects.filter(slug=unicode_slug(title)).exists():
            Film.objects.create(
                language=language,
                slug=unicode_slug(title),
                title=title,
                description=description,
                exclusive=exclusive,
                embed_host=host,
                embed_id=video_id,
                duration=length[0] if length else None,
                poster=demo_photo(
                    content.get("poster", "Poster: {}").format(title),
                    description,
                    "opinion",
                    words=content,
                ),
                status=PhotoGallery.Status.PUBLISHED,
                publish_at=now - timedelta(hours=20),
            )
    for title, description, days_ago in content["maps"]:
        if not Map.objects.filter(slug=unicode_slug(title)).exists():
            credit = content.get("credit", "Alwaght graphics")
            photo = Photo(title=title, alt_text=title, credit=credit)
            # The title drawn in the image's band, shaped in Arabic script (images.py).
            photo.image.save("map.png", ContentFile(map_png(title, title, language)), save=False)
            photo.save()
            Map.objects.create(
                language=language,
                slug=unicode_slug(title),
                title=title,
                description=description,
                photo=photo,
                status=PhotoGallery.Status.PUBLISHED,
                publish_at=now - timedelta(days=days_ago),
            )


def demo_author(name: str, bio: str, palette: str, words: dict | None = None) -> Author:
    """Return the demo writer `name`, created once with an illustrated portrait."""
    author = Author.objects.filter(slug=unicode_slug(name)).first()
    if author is None:
        title = words["portrait"].format(name) if words else f"Portrait: {name}"
        photo = demo_photo(title, "", palette, words=words)
        author = Author.objects.create(name=name, slug=unicode_slug(name), bio=bio, photo=photo)
    return author


def demo_photo(title: str, caption: str, palette: str, words: dict | None = None) -> Photo:
    """Make an illustration; `words` gives an edition's alt-text prefix and credit."""
    words = words or {}
    photo = Photo(
        title=title,
        alt_text=words.get("alt", "Illustration: {}").format(title.lower()),
        caption=caption,
        credit=words.get("credit", "Alwaght graphics"),
    )
    photo.image.save("photo.jpg", ContentFile(illustration_jpeg(title, palette)), save=False)
    photo.save()
    return photo


def add_demo_comments(article: Article, comments: list[tuple[str, str, bool]]) -> None:
    Comment.objects.bulk_create(
        Comment(
            article=article,
            name=name,
            text=text,
            status=Comment.Status.APPROVED if approved else Comment.Status.PENDING,
        )
        for name, text, approved in comments
    )


def record_demo_views(article: Article, popularity: int, now: datetime) -> None:
    """Give a new demo article a plausible, repeatable reading history."""
    rng = random.Random(article.slug)
    first_hour = start_of_hour(max(article.publish_at, now - timedelta(days=29)))
    hours = max(int((now - first_hour).total_seconds() // 3600), 1)
    ViewCount.objects.bulk_create(
        ViewCount(
            article=article,
            hour=first_hour + timedelta(hours=offset),
            shard=0,
            views=rng.randint(1, 4 * popularity),
        )
        for offset in rng.sample(range(hours), min(12, hours))
    )


def attach_illustration(article: Article, palette: str) -> None:
    article.photo = demo_photo(article.title, "Illustration made for the demo edition.", palette)
    article.save(update_fields=["photo"])


# --- Synthetic archive -------------------------------------------------------------------

PLACES = [
    "the capital",
    "the port",
    "the northern province",
    "the border region",
    "the coast",
    "the plateau",
    "the river valley",
    "the southern district",
]
SUBJECTS = [
    "Officials",
    "Traders",
    "Engineers",
    "Farmers",
    "Ministers",
    "Residents",
    "Doctors",
    "Teachers",
    "Investors",
    "Delegates",
]
VERBS = [
    "debate",
    "review",
    "welcome",
    "question",
    "prepare for",
    "respond to",
    "plan around",
    "count the cost of",
]
OBJECTS = [
    "new water rules",
    "a budget shortfall",
    "the harvest outlook",
    "road repairs",
    "a trade agreement",
    "energy prices",
    "school reforms",
    "a shipping delay",
    "the census results",
    "a housing plan",
]
PARAGRAPH = (
    "<p>{subject} in {place} met on {day} to {verb} {obj}. The discussion, the "
    "{ordinal} of its kind this year, ended with an agreement to publish figures "
    "before the next meeting.</p>"
)
SYNTHETIC_TAGS = [f"Load topic {number:03d}" for number in range(1, 301)]
BATCH_SIZE = 2000


# The same archive in each edition's own words, with the same word frequencies: a
# subject in one article of ten, the agreement in every one, a tag's number in one
# of a hundred, and words (منسوب, رودخانه) found only in the demo articles.
SYNTHETIC_TEXT = {
    "en": {
        "places": PLACES,
        "subjects": SUBJECTS,
        "verbs": VERBS,
        "objects": OBJECTS,
        "days": ["Monday", "Thursday"],
        "ordinals": ["second", "third", "fifth"],
        "paragraph": PARAGRAPH,
        "title": "{subject} in {place} {verb} {obj}",
        "lead": "{subject} in {place} {verb} {obj}, in archive item {number}.",
        "tags": SYNTHETIC_TAGS,
        "byline": "Load test",
    },
    "ar": {
        "places": ["العاصمة", "الميناء", "المحافظة الشمالية", "الساحل", "الهضبة", "الوادي"],
        "subjects": [
            "المسؤولون",
            "التجار",
            "المهندسون",
            "المزارعون",
            "الوزراء",
            "السكان",
            "الأطباء",
            "المعلمون",
            "المستثمرون",
            "المندوبون",
        ],
        "verbs": ["يناقشون", "يراجعون", "يرحبون بـ", "يسائلون", "يستعدون لـ", "يردون على"],
        "objects": [
            "قواعد المياه الجديدة",
            "عجز الميزانية",
            "توقعات الحصاد",
            "إصلاح الطرق",
            "اتفاقية تجارية",
            "أسعار الطاقة",
            "إصلاحات المدارس",
            "تأخر الشحن",
            "نتائج التعداد",
            "خطة الإسكان",
        ],
        "days": ["الاثنين", "الخميس"],
        "ordinals": ["الثاني", "الثالث", "الخامس"],
        "paragraph": "<p>اجتمع {subject} في {place} يوم {day} لبحث {obj}. وانتهى النقاش، "
        "وهو {ordinal} من نوعه هذا العام، باتفاق على نشر الأرقام قبل الاجتماع المقبل.</p>",
        "title": "{subject} في {place} {verb} {obj}",
        "lead": "{subject} في {place} {verb} {obj}، في المادة {number} من الأرشيف.",
        "tags": [f"ملف تجريبي {number:03d}" for number in range(1, 301)],
        "byline": "اختبار الحمل",
    },
    "fa": {
        "places": ["پایتخت", "بندر", "استان شمالی", "ساحل", "فلات", "دره"],
        "subjects": [
            "مسئولان",
            "بازرگانان",
            "مهندسان",
            "کشاورزان",
            "وزیران",
            "ساکنان",
            "پزشکان",
            "معلمان",
            "سرمایه‌گذاران",
            "نمایندگان",
        ],
        "verbs": ["بررسی می‌کنند", "می‌سنجند", "استقبال می‌کنند از", "آماده می‌شوند برای"],
        "objects": [
            "قوانین تازه آب",
            "کسری بودجه",
            "چشم‌انداز برداشت محصول",
            "تعمیر جاده‌ها",
            "یک توافق‌نامه تجاری",
            "قیمت‌های انرژی",
            "اصلاحات مدارس",
            "تأخیر در حمل بار",
            "نتایج سرشماری",
            "طرح مسکن",
        ],
        "days": ["دوشنبه", "پنجشنبه"],
        "ordinals": ["دومین", "سومین", "پنجمین"],
        "paragraph": "<p>{subject} در {place} روز {day} برای بررسی {obj} گرد هم آمدند. "
        "این نشست که {ordinal} نشست از این دست در سال جاری بود، با توافق بر انتشار "
        "ارقام پیش از نشست بعدی پایان یافت.</p>",
        "title": "{subject} در {place} {verb} {obj}",
        "lead": "{subject} در {place} {verb} {obj}، در مطلب {number} بایگانی.",
        # In the edition's digits, as its editors write (search folds digits: 029 finds them).
        "tags": [localize_digits(f"پرونده آزمایشی {number:03d}", "fa") for number in range(1, 301)],
        "byline": "آزمون بار",
    },
}


def generate_synthetic_archive(
    total: int, progress: Callable[[int], None] = lambda done: None, language: str = "en"
) -> int:
    """Top edition `language`'s archive up to `total` synthetic articles; return how many were made.

    Bulk inserts in batches (no per-row save()), so 100,000 articles take minutes,
    not hours. Bodies come from a fixed template that is sanitised once up front;
    Persian articles get their stemmed search vectors batch by batch.
    """
    text = SYNTHETIC_TEXT[language]
    prefix = synthetic_slug_prefix(language)
    existing = Article.objects.filter(language=language, slug__startswith=prefix).count()
    missing = max(total - existing, 0)
    if not missing:
        return 0
    if not Section.objects.filter(language=language).exists():
        load_demo_edition()
    sections = list(Section.objects.filter(language=language))
    Tag.objects.bulk_create(
        [Tag(name=name, slug=unicode_slug(name)) for name in text["tags"]],
        ignore_conflicts=True,
    )
    tag_ids = list(Tag.objects.filter(name__in=text["tags"]).values_list("id", flat=True))
    topic_ids = list(Topic.objects.filter(language=language).values_list("id", flat=True))
    ArticleTopic = Article.topics.through
    template = sanitize_html(text["paragraph"])
    rng = random.Random(existing)
    now = timezone.now()
    numbers = iter(range(existing + 1, existing + missing + 1))
    while batch_numbers := list(itertools.islice(numbers, BATCH_SIZE)):
        articles = [
            synthetic_article(number, rng, sections, template, now, language)
            for number in batch_numbers
        ]
        with transaction.atomic():
            Article.objects.bulk_create(articles)
            TaggedArticle.objects.bulk_create(
                TaggedArticle(content_object_id=article.pk, tag_id=tag_id)
                for article in articles
                for tag_id in rng.sample(tag_ids, 3)
            )
            ArticleTopic.objects.bulk_create(
                ArticleTopic(article_id=article.pk, topic_id=rng.choice(topic_ids))
                for article in articles
            )
            # Bulk inserts send no signals: the stems are written here (Persian).
            stems_write(article_ids=[article.pk for article in articles], limit=len(articles))
        progress(len(articles))
    search_entries_in_publication_order()
    with connection.cursor() as cursor:
        # Fresh statistics, so the planner picks the listing indexes straight away.
        cursor.execute(
            "ANALYZE articles_article, articles_taggedarticle, articles_article_topics,"
            " articles_tagentry, articles_topicentry, articles_searchentry"
        )
    return missing


def search_entries_in_publication_order() -> None:
    """Write every search entry again, in the order the articles were published.

    The synthetic archive is inserted in random order of publication; a newsroom
    publishes its articles one after another, and an entry is written where its
    article is published (articles.models.SearchEntry), so on a site that has run a
    while the newest entries, which a search walks first, lie together. Left as
    inserted, they would lie on a page each, as no site has them.
    """
    # Each of the entry's columns is the article's column of the same name.
    columns = ", ".join(field.column for field in SearchEntry._meta.concrete_fields)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE articles_searchentry")
        cursor.execute(
            f"INSERT INTO articles_searchentry ({columns})"  # noqa: S608 - our column names
            f" SELECT {columns} FROM articles_article ORDER BY publish_at NULLS FIRST, id"
        )


def synthetic_slug_prefix(language: str) -> str:
    """Return the slug prefix of edition `language`'s synthetic articles."""
    return SYNTHETIC_SLUG_PREFIX if language == "en" else f"{SYNTHETIC_SLUG_PREFIX}{language}-"


def synthetic_article(number, rng, sections, template, now, language="en") -> Article:
    text = SYNTHETIC_TEXT[language]
    words = {
        "subject": rng.choice(text["subjects"]),
        "verb": rng.choice(text["verbs"]),
        "obj": rng.choice(text["objects"]),
        "place": rng.choice(text["places"]),
    }
    paragraphs = [
        template.format(
            subject=words["subject"],
            place=words["place"],
            day=rng.choice(text["days"]),
            verb=words["verb"],
            obj=words["obj"],
            ordinal=rng.choice(text["ordinals"]),
        )
        for _ in range(rng.randint(4, 8))
    ]
    return Article(
        language=language,
        section=rng.choice(sections),
        title=text["title"].format(**words),
        slug=f"{synthetic_slug_prefix(language)}{number}",
        lead=text["lead"].format(number=localize_digits(str(number), language), **words),
        body="\n".join(paragraphs),
        byline=text["byline"],
        status=Article.Status.PUBLISHED,
        publish_at=now - timedelta(minutes=rng.randint(60, 60 * 24 * 365 * 3)),
    )
