import django.db.models.deletion
from django.db import migrations, models

# Tag and topic pages read their articles from these entries (articles.models.ListEntry),
# so PostgreSQL keeps them: every path that adds, moves or removes a link, or changes
# an article's edition, status or times (forms, actions, update(), restores, raw SQL),
# runs the same triggers. One set per kind: (entry table, target column, link
# table, the link's article column).
KINDS = [
    ("articles_tagentry", "tag_id", "articles_taggedarticle", "content_object_id"),
    ("articles_topicentry", "topic_id", "articles_article_topics", "article_id"),
]
COPIED = "language, status, publish_at, unpublish_at"

# A link added, moved or removed: its entry follows. The article row is locked
# (FOR SHARE) while its visibility is copied, so a concurrent change of the
# article waits for this transaction and then updates the new entry too.
LINK_TRIGGER = """
CREATE FUNCTION {link}_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM {entry} WHERE {target} = OLD.{target} AND article_id = OLD.{article};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {entry} ({target}, article_id, {copied})
        SELECT NEW.{target}, id, {copied} FROM articles_article WHERE id = NEW.{article}
        FOR SHARE
        ON CONFLICT ({target}, article_id) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER {link}_entry
AFTER INSERT OR DELETE OR UPDATE OF {target}, {article} ON {link}
FOR EACH ROW EXECUTE FUNCTION {link}_entry();
"""

# An article written, or its edition, status or times changed: its entries follow.
# On insert too: a restore (django-reversion) may write the links before the
# article they point at (the foreign keys are checked at commit).
ARTICLE_UPSERT = """
    INSERT INTO {entry} ({target}, article_id, {copied})
    SELECT link.{target}, NEW.id, NEW.language, NEW.status, NEW.publish_at, NEW.unpublish_at
    FROM {link} link WHERE link.{article} = NEW.id
    ON CONFLICT ({target}, article_id) DO UPDATE
    SET language = EXCLUDED.language, status = EXCLUDED.status,
        publish_at = EXCLUDED.publish_at, unpublish_at = EXCLUDED.unpublish_at;
"""

ARTICLE_TRIGGER = """
CREATE FUNCTION articles_article_entries() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
{upserts}
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_article_entries_insert
AFTER INSERT ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_article_entries();

CREATE TRIGGER articles_article_entries
AFTER UPDATE OF {copied} ON articles_article
FOR EACH ROW
WHEN ((OLD.language, OLD.status, OLD.publish_at, OLD.unpublish_at)
      IS DISTINCT FROM (NEW.language, NEW.status, NEW.publish_at, NEW.unpublish_at))
EXECUTE FUNCTION articles_article_entries();
"""

# The links there are already.
FILL = """
INSERT INTO {entry} ({target}, article_id, {copied})
SELECT link.{target}, article.id, article.language, article.status, article.publish_at,
       article.unpublish_at
FROM {link} link JOIN articles_article article ON article.id = link.{article}
ON CONFLICT ({target}, article_id) DO NOTHING;
ANALYZE {entry};
"""


def _each(template: str) -> str:
    return "".join(
        template.format(entry=entry, target=target, link=link, article=article, copied=COPIED)
        for entry, target, link, article in KINDS
    )


FORWARD = (
    _each(LINK_TRIGGER)
    + ARTICLE_TRIGGER.format(upserts=_each(ARTICLE_UPSERT), copied=COPIED)
    + _each(FILL)
)

BACKWARD = """
DROP TRIGGER IF EXISTS articles_article_entries ON articles_article;
DROP TRIGGER IF EXISTS articles_article_entries_insert ON articles_article;
DROP FUNCTION IF EXISTS articles_article_entries();
""" + _each(
    """
DROP TRIGGER IF EXISTS {link}_entry ON {link};
DROP FUNCTION IF EXISTS {link}_entry();
"""
)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0022_edition_desks'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        ('topics', '0004_editions'),
    ]

    operations = [
        migrations.CreateModel(
            name='TagEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=8)),
                ('status', models.CharField(max_length=16)),
                ('publish_at', models.DateTimeField(null=True)),
                ('unpublish_at', models.DateTimeField(null=True)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='tag_entries', to='articles.article')),
                ('tag', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='taggit.tag')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('status', 'published')), fields=['tag', 'language', '-publish_at', '-article'], include=('unpublish_at',), name='tag_entry_latest')],
                'constraints': [models.UniqueConstraint(fields=('tag', 'article'), name='one_tag_entry')],
            },
        ),
        migrations.CreateModel(
            name='TopicEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(max_length=8)),
                ('status', models.CharField(max_length=16)),
                ('publish_at', models.DateTimeField(null=True)),
                ('unpublish_at', models.DateTimeField(null=True)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='topic_entries', to='articles.article')),
                ('topic', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='topics.topic')),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('status', 'published')), fields=['topic', 'language', '-publish_at', '-article'], include=('unpublish_at',), name='topic_entry_latest')],
                'constraints': [models.UniqueConstraint(fields=('topic', 'article'), name='one_topic_entry')],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
