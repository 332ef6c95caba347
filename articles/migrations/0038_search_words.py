# Every word of the search vectors (articles/models/vocabulary.py), kept by a trigger,
# and the search query that asks for the words a prefix starts instead of the prefix
# (articles/search.py). The trigger comes before the fill, in the same transaction:
# no article's words are written between the two unlisted. The fill reads every
# vector (ts_stat): about 15 s at 1.2M articles.

from django.db import migrations, models

# The table is written here rather than by CreateModel, which would add a second
# index of the key for LIKE (text_pattern_ops): the key's own, in byte order, serves.
TABLE = r"""
CREATE TABLE articles_searchword (word text COLLATE "C" PRIMARY KEY);
"""

FORWARD = r"""
-- The words of an article's vector, in order (two writers adding the same new
-- words wait for each other instead of each holding one the other wants).
CREATE FUNCTION articles_search_words_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_searchword (word)
    SELECT word FROM unnest(tsvector_to_array(NEW.search_vector)) AS word
    ORDER BY word COLLATE "C"
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

-- Every way a vector changes is an insert or an update of these columns: the
-- vector's own trigger (0005) rebuilds it on the same ones.
CREATE TRIGGER articles_article_search_words
AFTER INSERT OR UPDATE OF title, lead, body, section_id, language, search_vector
ON articles_article
FOR EACH ROW WHEN (NEW.search_vector IS NOT NULL)
EXECUTE FUNCTION articles_search_words_add();

INSERT INTO articles_searchword (word)
SELECT word FROM ts_stat('SELECT search_vector FROM articles_article') ORDER BY word COLLATE "C"
ON CONFLICT DO NOTHING;

-- to_tsquery(config, expression), the reader's last word as the words it starts
-- ("'capit' | 'capitol'") when it is a prefix of one lexeme ("... & capital:*",
-- articles/search.py to_tsquery_text) that starts at most 32 listed words: the
-- same matches (every word an article holds is listed), which a GIN index finds
-- by intersecting posting lists instead of first reading each article that holds
-- a word the prefix starts. Otherwise (a word the parser splits, as "covid-19";
-- a prefix of more words) the prefix stays.
CREATE FUNCTION articles_search_query(config regconfig, expression text) RETURNS tsquery
LANGUAGE plpgsql STABLE AS $$
DECLARE
    last_word text := substring(expression FROM '(?:^| & )([^ &]+:\*)$');
    last_query tsquery;
    prefix text;
    words text[];
BEGIN
    IF last_word IS NULL THEN
        RETURN to_tsquery(config, expression);
    END IF;
    last_query := to_tsquery(config, last_word);
    prefix := substring(last_query::text FROM '^''([^''\\]+)'':\*$');
    IF prefix IS NOT NULL THEN
        SELECT array_agg(word ORDER BY word) INTO words
        FROM (
            SELECT word FROM articles_searchword WHERE word >= prefix ORDER BY word LIMIT 33
        ) AS following
        WHERE starts_with(word, prefix);
        IF cardinality(words) BETWEEN 1 AND 32 THEN
            last_query := (
                SELECT string_agg(
                    '''' || replace(replace(word, '\', '\\'), '''', '''''') || '''', ' | '
                )
                FROM unnest(words) AS word
            )::tsquery;
        END IF;
    END IF;
    IF expression = last_word THEN
        RETURN last_query;
    END IF;
    RETURN to_tsquery(config, left(expression, -length(last_word) - 3)) && last_query;
END
$$;
"""

BACKWARD = r"""
DROP FUNCTION articles_search_query(regconfig, text);
DROP TRIGGER articles_article_search_words ON articles_article;
DROP FUNCTION articles_search_words_add();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0037_search_index_sections"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(TABLE, "DROP TABLE articles_searchword;"),
            ],
            state_operations=[
                migrations.CreateModel(
                    name="SearchWord",
                    fields=[
                        (
                            "word",
                            models.TextField(db_collation="C", primary_key=True, serialize=False),
                        ),
                    ],
                ),
            ],
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
