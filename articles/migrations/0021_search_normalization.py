from django.db import migrations

# The same folding as articles/script.py (a test checks they agree): search finds
# an article whatever keyboard, diacritics, hamza forms or digits the reader used.
FORWARD = r"""
CREATE FUNCTION articles_search_normalize(value text, language text) RETURNS text
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

UPDATE articles_article SET search_vector = NULL;
"""

BACKWARD = r"""
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := articles_search_config(NEW.language);
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector(config, coalesce(NEW.lead, '')), 'B')
        || setweight(to_tsvector(config, coalesce((
               SELECT string_agg(tag.name, ' ')
               FROM articles_taggedarticle link
               JOIN taggit_tag tag ON tag.id = link.tag_id
               WHERE link.content_object_id = NEW.id), '')), 'B')
        || setweight(to_tsvector(config, coalesce((
               SELECT name FROM articles_section WHERE id = NEW.section_id), '')), 'C')
        || setweight(to_tsvector(config,
               regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g')), 'D');
    RETURN NEW;
END
$$;
DROP FUNCTION IF EXISTS articles_search_normalize(text, text);
UPDATE articles_article SET search_vector = NULL;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0020_counterparts")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
