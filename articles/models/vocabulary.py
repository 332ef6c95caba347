"""Every word of every article's search vector, kept by a database trigger."""

from django.db import models


class SearchWord(models.Model):
    """A word (a lexeme) that some article's search vector holds, or once held.

    Search takes the reader's last word as a prefix ("secur" finds "security"), and
    the GIN index answers a prefix by reading every article that holds any word it
    starts, into a bitmap, before the other words narrow it: at a million articles
    "officials traders" spent 21 of its 22 ms there, against 5 for the whole words.
    With this list, search asks for the words themselves ("capit" | "capitol"),
    which the index intersects as it does any word (articles_search_query,
    migration 0038; articles/search.py).

    Derived data, written only by a trigger: an article inserted, or its vector
    rebuilt (its text, tags, section or edition changed, on any path). A load that
    switches triggers off (session_replication_role) must list its words itself, as
    the migration's fill does, unless they are copies of listed ones (as
    scripts/grow_bench_db.py writes): a word missing here is a match missed. Words are
    never removed: a word no article holds any more costs a lookup, never a
    result. In byte order (collation "C"), so the words a prefix starts are one
    range of the primary key.
    """

    word = models.TextField(primary_key=True, db_collation="C")

    def __str__(self) -> str:
        return self.word
