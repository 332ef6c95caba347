"""Copy the benchmark database and grow the copy to a million articles, in SQL.

    .venv/bin/python scripts/grow_bench_db.py --source alwaght_bench --target alwaght_bench_1m

`load_demo --articles N` writes about 300 articles a second: a million takes an
hour. This copies the 100k database (CREATE DATABASE ... TEMPLATE, so nobody may
be connected to the source; it retries for a minute) and multiplies the copy's
synthetic articles with INSERT ... SELECT, a few minutes in all:

- every copy of an article gets a new id (id + n x OFFSET) and slug, the same
  text, section, tags and topic, and a publish time n seconds earlier, so the
  word frequencies ("officials" in one article of ten, "agreement" in all, the
  demo's own words in a handful) and the spread over three years stay as they
  were, ten times as dense;
- the search vector is copied from the original (same text and tags, so the same
  vector), and the tag and topic list entries and the search entries are filled in
  one statement each, with the row triggers switched off for this session only
  (session_replication_role), instead of rebuilding each vector three times as the
  tag links arrive;
- the search index is built once at the end, then VACUUM ANALYZE.

With --language, only that edition's synthetic articles are copied, and --articles
counts that edition's articles: `--language en` gives the 1,000,055 English
articles earlier figures were measured on, where growing the three editions of
today's bench database to a million in all leaves each at 400,000 (and growing
each to a million writes three times as much).

The source is only read. Uses the server of BENCH_DATABASE_URL or DATABASE_URL
(default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import math
import os
import sys
import time
import urllib.parse

import psycopg
from psycopg import sql

SYNTHETIC = "load-test-%"  # alwaght/demo/loader.py SYNTHETIC_SLUG_PREFIX
OFFSET = 1_000_000  # new ids: id + n x OFFSET (the source's ids stay below it)
SETVAL = "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {}))"


def server_url(database: str) -> str:
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )
    return urllib.parse.urlparse(base)._replace(path="/" + database).geturl()


def log(message: str) -> None:
    print(f"[grow] {message}", file=sys.stderr, flush=True)


def copy_database(source: str, target: str, tries: int = 30) -> None:
    with psycopg.connect(server_url("postgres"), autocommit=True) as connection:
        exists = "SELECT 1 FROM pg_database WHERE datname = %s"
        if connection.execute(exists, [target]).fetchone():
            sys.exit(f"{target} exists already: drop it first (dropdb {target}).")
        for attempt in range(tries):
            try:
                connection.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(target), sql.Identifier(source)
                    )
                )
                return
            except psycopg.errors.ObjectInUse:
                log(f"{source} has users connected; retrying ({attempt + 1}/{tries})")
                time.sleep(2)
    sys.exit(f"{source} stayed in use; try again when nobody is connected.")


def columns(connection, table: str) -> list[str]:
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in rows]


def has_table(connection, table: str) -> bool:
    return connection.execute("SELECT to_regclass(%s) IS NOT NULL", [table]).fetchone()[0]


def grow(target: str, articles: int, language: str | None = None) -> None:
    # Which articles count and are copied: every edition's, or one edition's.
    edition = "a.language = %(language)s" if language else "true"
    with psycopg.connect(server_url(target), autocommit=True) as connection:
        total, synthetic, top = connection.execute(
            "SELECT count(*) FILTER (WHERE " + edition + "),"  # noqa: S608 (fixed text)
            " count(*) FILTER (WHERE slug LIKE %(synthetic)s AND " + edition + "),"
            " max(id) FROM articles_article a",
            {"synthetic": SYNTHETIC, "language": language},
        ).fetchone()
        if top >= OFFSET:
            sys.exit(f"ids reach {top}: this script expects them below {OFFSET}.")
        copies = max(math.ceil((articles - total) / synthetic), 0) if synthetic else 0
        log(f"{total} articles, {synthetic} synthetic: {copies} copies of each")
        if not copies:
            return
        # Everything the copies need, instead of a trigger per row.
        connection.execute("SET session_replication_role = replica")
        connection.execute("SET maintenance_work_mem = '1GB'")
        # The GIN indexes of older articles (one per edition, edition_words: the copied
        # edition's, or all), dropped for the copy and built again after it.
        search_indexes = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'articles_article'"
            " AND indexname LIKE 'article_search_older_%%' AND (%(language)s::text IS NULL"
            " OR indexname = 'article_search_older_' || %(language)s)",
            {"language": language},
        ).fetchall()
        for index_name, _definition in search_indexes:
            connection.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index_name)))

        names = columns(connection, "articles_article")
        chosen = {
            "id": "a.id + n.n * %(offset)s",
            "slug": "a.slug || '-' || n.n",
            "publish_at": "a.publish_at - make_interval(secs => n.n)",
            "translation_group": "NULL",
        }
        select = ", ".join(chosen.get(name, f"a.{name}") for name in names)
        started = time.monotonic()
        with connection.transaction():
            connection.execute(
                f"INSERT INTO articles_article ({', '.join(names)})"  # noqa: S608
                f" SELECT {select} FROM articles_article a"
                " CROSS JOIN generate_series(1, %(copies)s) AS n(n)"
                f" WHERE a.slug LIKE %(synthetic)s AND a.id < %(offset)s AND {edition}",
                {"offset": OFFSET, "copies": copies, "synthetic": SYNTHETIC, "language": language},
            )
            log(f"articles copied ({time.monotonic() - started:.0f} s)")
            for link, article_column, target_column in (
                ("articles_taggedarticle", "content_object_id", "tag_id"),
                ("articles_article_topics", "article_id", "topic_id"),
            ):
                connection.execute(
                    f"INSERT INTO {link} ({target_column}, {article_column})"  # noqa: S608
                    f" SELECT l.{target_column}, l.{article_column} + n.n * %(offset)s"
                    f" FROM {link} l JOIN articles_article a ON a.id = l.{article_column}"
                    " CROSS JOIN generate_series(1, %(copies)s) AS n(n)"
                    f" WHERE a.slug LIKE %(synthetic)s AND a.id < %(offset)s AND {edition}",
                    {
                        "offset": OFFSET,
                        "copies": copies,
                        "synthetic": SYNTHETIC,
                        "language": language,
                    },
                )
            log(f"tag and topic links copied ({time.monotonic() - started:.0f} s)")
            for entry, link, article_column, target_column in (
                ("articles_tagentry", "articles_taggedarticle", "content_object_id", "tag_id"),
                ("articles_topicentry", "articles_article_topics", "article_id", "topic_id"),
            ):
                if not has_table(connection, entry):
                    continue  # a database from before the list entries (migration 0023)
                connection.execute(
                    f"INSERT INTO {entry} ({target_column}, article_id, language, status,"  # noqa: S608
                    " publish_at, unpublish_at)"
                    f" SELECT l.{target_column}, a.id, a.language, a.status, a.publish_at,"
                    " a.unpublish_at"
                    f" FROM {link} l JOIN articles_article a ON a.id = l.{article_column}"
                    " WHERE a.id >= %(offset)s",
                    {"offset": OFFSET},
                )
            log(f"list entries filled ({time.monotonic() - started:.0f} s)")
            if has_table(connection, "articles_searchentry"):  # migration 0039
                # Written again in publication order, as the demo loader leaves them
                # (alwaght/demo/loader.py: search_entries_in_publication_order).
                # Each of its columns is the article's column of the same name.
                copied = ", ".join(columns(connection, "articles_searchentry"))
                connection.execute("TRUNCATE articles_searchentry")
                connection.execute(
                    f"INSERT INTO articles_searchentry ({copied})"  # noqa: S608
                    f" SELECT {copied} FROM articles_article ORDER BY publish_at NULLS FIRST, id"
                )
                log(f"search entries written ({time.monotonic() - started:.0f} s)")
            for table in ("articles_article", "articles_taggedarticle", "articles_article_topics",
                          "articles_tagentry", "articles_topicentry"):  # fmt: skip
                if has_table(connection, table):
                    connection.execute(sql.SQL(SETVAL).format(sql.Identifier(table)), [table])
        for _index_name, definition in search_indexes:
            connection.execute(definition)
        if search_indexes:
            log(f"search indexes built ({time.monotonic() - started:.0f} s)")
        connection.execute("SET session_replication_role = DEFAULT")
        connection.execute("VACUUM (ANALYZE)")
        count = connection.execute("SELECT count(*) FROM articles_article").fetchone()[0]
        log(f"{count} articles after VACUUM ANALYZE ({time.monotonic() - started:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="alwaght_bench")
    parser.add_argument("--target", default="alwaght_bench_1m")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--language", help="Copy only this edition's articles (en, ar, fa).")
    options = parser.parse_args()
    copy_database(options.source, options.target)
    grow(options.target, options.articles, options.language)


if __name__ == "__main__":
    main()
