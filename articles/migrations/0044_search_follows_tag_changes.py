from django.db import migrations

# A story's search vector holds its tags' words (0005), rebuilt when a tag link was
# added or removed, but not when a link was moved to another tag (a merge at the
# desk: articles/tags.py tag_merge) nor when a tag was renamed: search went on
# finding the story by the old name and not by the new one, while its tag pages
# (0023's list entries, which follow UPDATE OF tag_id) had moved on. Now both
# rebuild it as a section rename does; a Persian story is marked for its stems
# again by the article's own trigger (0026). Vectors left stale by a rename before
# this are rebuilt when their story is next saved (no site had renamed a tag then).
FORWARD = r"""
CREATE OR REPLACE FUNCTION articles_taggedarticle_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE articles_article SET search_vector = NULL WHERE id = OLD.content_object_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.content_object_id
            IS DISTINCT FROM (CASE TG_OP WHEN 'UPDATE' THEN OLD.content_object_id END) THEN
        UPDATE articles_article SET search_vector = NULL WHERE id = NEW.content_object_id;
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER articles_taggedarticle_touch ON articles_taggedarticle;
CREATE TRIGGER articles_taggedarticle_touch
AFTER INSERT OR DELETE OR UPDATE OF tag_id, content_object_id ON articles_taggedarticle
FOR EACH ROW EXECUTE FUNCTION articles_taggedarticle_touch();

CREATE FUNCTION articles_tag_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_article SET search_vector = NULL
    WHERE id IN (SELECT content_object_id FROM articles_taggedarticle WHERE tag_id = NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_tag_touch
AFTER UPDATE OF name ON taggit_tag
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION articles_tag_touch();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS articles_tag_touch ON taggit_tag;
DROP FUNCTION IF EXISTS articles_tag_touch();
DROP TRIGGER articles_taggedarticle_touch ON articles_taggedarticle;
CREATE TRIGGER articles_taggedarticle_touch
AFTER INSERT OR DELETE ON articles_taggedarticle
FOR EACH ROW EXECUTE FUNCTION articles_taggedarticle_touch();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0043_body_photos")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
