from django.db import migrations

# The search vector is built by PostgreSQL itself, so every way an article, its
# tags or its section changes (admin, bulk loads, raw SQL) keeps it current.
# Weights: A title, B lead and tags, C section name, D body text.
FORWARD = r"""
CREATE FUNCTION articles_search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE language WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END
$$;

CREATE FUNCTION articles_article_search_vector() RETURNS trigger
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

CREATE TRIGGER articles_article_search_vector
BEFORE INSERT OR UPDATE OF title, lead, body, section_id, language, search_vector
ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();

-- Tag links and section names live elsewhere: touching the article rebuilds it.
CREATE FUNCTION articles_taggedarticle_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_article SET search_vector = NULL
    WHERE id = (CASE TG_OP WHEN 'DELETE' THEN OLD.content_object_id ELSE NEW.content_object_id END);
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_taggedarticle_touch
AFTER INSERT OR DELETE ON articles_taggedarticle
FOR EACH ROW EXECUTE FUNCTION articles_taggedarticle_touch();

CREATE FUNCTION articles_section_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_article SET search_vector = NULL WHERE section_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_section_touch
AFTER UPDATE OF name ON articles_section
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION articles_section_touch();

UPDATE articles_article SET search_vector = NULL;
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS articles_section_touch ON articles_section;
DROP FUNCTION IF EXISTS articles_section_touch();
DROP TRIGGER IF EXISTS articles_taggedarticle_touch ON articles_taggedarticle;
DROP FUNCTION IF EXISTS articles_taggedarticle_touch();
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector();
DROP FUNCTION IF EXISTS articles_search_config(text);
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_search_vector")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
