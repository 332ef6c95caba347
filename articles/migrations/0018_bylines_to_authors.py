"""Turn each distinct byline into an author and link its articles (bylines stay as written)."""

from django.db import migrations
from django.utils.text import slugify


def bylines_to_authors(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    names = (
        Article.objects.exclude(byline="")
        .order_by()
        .values_list("byline", flat=True)
        .distinct()
    )
    taken = set(Author.objects.values_list("slug", flat=True))
    for name in names:
        base = slugify(name.strip(), allow_unicode=True)[:110].strip("-") or "author"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        author = Author.objects.create(name=name.strip()[:120], slug=slug)
        Article.objects.filter(byline=name, author__isnull=True).update(author=author)


def authors_to_bylines(apps, schema_editor):
    # Bylines were left as written, so going back needs nothing.
    pass


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_authors")]

    operations = [migrations.RunPython(bylines_to_authors, authors_to_bylines)]
