from django.db import migrations, models

# Each edition searched in its own language (articles/script.py holds the same as
# data; tests/articles/test_search_script.py checks the two agree):
# - Arabic articles are indexed with PostgreSQL's Snowball `arabic` configuration,
#   and a final ه is folded to ة (the stemmer strips ة but not ه, so المدرسه and
#   مدرسة meet); Persian keeps folding ة to ه.
# - Persian words are stemmed in Python (PostgreSQL has no Persian stemmer): the
#   trigger indexes them folded only and marks the row `search_pending`, and
#   articles/search_index.py writes the stemmed vector and clears the mark.
# - An update that brings a vector and leaves the text alone keeps that vector
#   (the Python stems; the ORM never writes these two columns, see Article.save).
# - The text an excerpt is marked in Python from (Persian) comes from a function the
#   planner believes costly, so it runs for the page's rows after the sort, as
#   ts_headline does, not for every ranked candidate (12 of 14 ms at 100k).
# Every vector is rebuilt.
EXCERPT_SOURCE = r"""
CREATE OR REPLACE FUNCTION articles_excerpt_source(lead text, body text, chars integer)
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
BEGIN
    RETURN coalesce(lead, '') || ' '
        || regexp_replace(left(coalesce(body, ''), chars), '<[^>]*>', ' ', 'g');
END
$$;
"""

FORWARD = EXCERPT_SOURCE + r"""
CREATE OR REPLACE FUNCTION articles_search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE language
        WHEN 'en' THEN 'english'::regconfig
        WHEN 'ar' THEN 'arabic'::regconfig
        ELSE 'simple'::regconfig
    END
$$;

CREATE OR REPLACE FUNCTION articles_search_stemmed_in_python(language text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT language IN ('fa')
$$;

CREATE OR REPLACE FUNCTION articles_search_normalize(value text, language text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE language
        WHEN 'ar' THEN regexp_replace(
            translate(folded, 'یىئک', 'يييك'),
            'ه(?![\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff])', 'ة', 'g')
        ELSE translate(folded, 'يىئكة', 'یییکه')
    END
    FROM (SELECT translate(
        regexp_replace(
            value,
            '[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c-\u200f\u061c]',
            '', 'g'),
        'أإآٱٲٳۀؤ۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩',
        'ااااااهو01234567890123456789') AS folded) AS step
$$;

CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := articles_search_config(NEW.language);
BEGIN
    -- An update that brings a vector and leaves the text alone keeps it: the stems
    -- articles/search_index.py wrote, or a save that changed nothing searched.
    IF TG_OP = 'UPDATE' AND NEW.search_vector IS NOT NULL
       AND NEW.title IS NOT DISTINCT FROM OLD.title
       AND NEW.lead IS NOT DISTINCT FROM OLD.lead
       AND NEW.body IS NOT DISTINCT FROM OLD.body
       AND NEW.section_id IS NOT DISTINCT FROM OLD.section_id
       AND NEW.language IS NOT DISTINCT FROM OLD.language THEN
        RETURN NEW;
    END IF;
    NEW.search_vector :=
        setweight(to_tsvector(config, articles_search_normalize(
            coalesce(NEW.title, ''), NEW.language)), 'A')
        || setweight(to_tsvector(config, articles_search_normalize(
            coalesce(NEW.lead, ''), NEW.language)), 'B')
        || setweight(to_tsvector(config, articles_search_normalize(coalesce((
               SELECT string_agg(tag.name, ' ')
               FROM articles_taggedarticle link
               JOIN taggit_tag tag ON tag.id = link.tag_id
               WHERE link.content_object_id = NEW.id), ''), NEW.language)), 'B')
        || setweight(to_tsvector(config, articles_search_normalize(coalesce((
               SELECT name FROM articles_section WHERE id = NEW.section_id), ''),
               NEW.language)), 'C')
        || setweight(to_tsvector(config, articles_search_normalize(
               regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g'), NEW.language)), 'D');
    -- Words Python stems are found as folded words until it has written its vector.
    NEW.search_pending := articles_search_stemmed_in_python(NEW.language);
    RETURN NEW;
END
$$;

UPDATE articles_article SET search_vector = NULL;
"""

BACKWARD = r"""
CREATE OR REPLACE FUNCTION articles_search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE language WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END
$$;

CREATE OR REPLACE FUNCTION articles_search_normalize(value text, language text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT translate(
        translate(
            regexp_replace(
                value,
                '[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c-\u200f\u061c]',
                '', 'g'),
            'أإآٱٲٳةۀؤ۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩',
            'ااااااههو01234567890123456789'),
        CASE language WHEN 'ar' THEN 'یىئک' ELSE 'يىئك' END,
        CASE language WHEN 'ar' THEN 'يييك' ELSE 'یییک' END)
$$;

CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := articles_search_config(NEW.language);
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(config, articles_search_normalize(
            coalesce(NEW.title, ''), NEW.language)), 'A')
        || setweight(to_tsvector(config, articles_search_normalize(
            coalesce(NEW.lead, ''), NEW.language)), 'B')
        || setweight(to_tsvector(config, articles_search_normalize(coalesce((
               SELECT string_agg(tag.name, ' ')
               FROM articles_taggedarticle link
               JOIN taggit_tag tag ON tag.id = link.tag_id
               WHERE link.content_object_id = NEW.id), ''), NEW.language)), 'B')
        || setweight(to_tsvector(config, articles_search_normalize(coalesce((
               SELECT name FROM articles_section WHERE id = NEW.section_id), ''),
               NEW.language)), 'C')
        || setweight(to_tsvector(config, articles_search_normalize(
               regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g'), NEW.language)), 'D');
    RETURN NEW;
END
$$;

DROP FUNCTION IF EXISTS articles_search_stemmed_in_python(text);
DROP FUNCTION IF EXISTS articles_excerpt_source(text, text, integer);
UPDATE articles_article SET search_vector = NULL;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0025_held_change_is_the_whole_story")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_pending",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["id"],
                condition=models.Q(search_pending=True),
                name="article_search_pending",
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
