import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# A search's walk of the newest articles reads these entries (articles.models.SearchEntry),
# so PostgreSQL keeps them: every path that writes an article (forms, actions, update(),
# restores, raw SQL, the search worker's stems) runs the same trigger. After the
# search vector's own BEFORE trigger, so the entry copies the vector as stored; on
# any change of the copied columns, which an UPDATE OF list would miss when only that
# trigger changed the vector.
COPIED = "language, status, publish_at, unpublish_at, section_id, search_vector"

TRIGGER = f"""
CREATE FUNCTION articles_article_search_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM articles_searchentry WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO articles_searchentry (id, {COPIED})
    VALUES (NEW.id, NEW.language, NEW.status, NEW.publish_at, NEW.unpublish_at,
            NEW.section_id, NEW.search_vector)
    ON CONFLICT (id) DO UPDATE
    SET language = EXCLUDED.language, status = EXCLUDED.status,
        publish_at = EXCLUDED.publish_at, unpublish_at = EXCLUDED.unpublish_at,
        section_id = EXCLUDED.section_id, search_vector = EXCLUDED.search_vector;
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_article_search_entry
AFTER INSERT OR DELETE ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_article_search_entry();

CREATE TRIGGER articles_article_search_entry_update
AFTER UPDATE ON articles_article
FOR EACH ROW
WHEN (({", ".join(f"OLD.{column}" for column in COPIED.split(", "))})
      IS DISTINCT FROM ({", ".join(f"NEW.{column}" for column in COPIED.split(", "))}))
EXECUTE FUNCTION articles_article_search_entry();

-- Room on each page for an entry to grow in place when its article is edited (a
-- HOT update), so that it stays beside the articles published with it.
ALTER TABLE articles_searchentry SET (fillfactor = 90);

-- The articles there are, in the order they were published.
INSERT INTO articles_searchentry (id, {COPIED})
SELECT id, {COPIED} FROM articles_article ORDER BY publish_at NULLS FIRST, id;
ANALYZE articles_searchentry;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS articles_article_search_entry_update ON articles_article;
DROP TRIGGER IF EXISTS articles_article_search_entry ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_entry();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0038_search_words'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('article', models.OneToOneField(db_column='id', db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='articles.article')),
                ('language', models.CharField(max_length=8)),
                ('status', models.CharField(max_length=16)),
                ('publish_at', models.DateTimeField(null=True)),
                ('unpublish_at', models.DateTimeField(null=True)),
                ('section_id', models.BigIntegerField()),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('status', 'published')), fields=['language', '-publish_at', '-article'], include=('unpublish_at',), name='search_entry_latest'), models.Index(condition=models.Q(('status', 'published')), fields=['section_id', 'language', '-publish_at', '-article'], include=('unpublish_at',), name='search_entry_section_latest')],
            },
        ),
        migrations.RunSQL(TRIGGER, BACKWARD),
    ]
