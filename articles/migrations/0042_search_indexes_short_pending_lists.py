# The search GIN indexes keep a short pending list (articles/models/indexes.py:
# PENDING_LIST_KB): every search reads an index's whole list, and at PostgreSQL's
# default of 4 MB, half full, that cost each search 0.8-1.6 ms more. The setting is
# changed in place, as the indexes stay what they are (no rebuild), and the lists the
# indexes hold now are merged at once, rather than by the first save that finds one
# over the new limit.
#
# ALTER INDEX ... SET takes the index's ACCESS EXCLUSIVE lock: searches and saves wait
# while it is held. So each statement commits on its own (not atomic: the lock is held
# for the catalog's update only, not through the merges), and none waits more than
# LOCK_TIMEOUT behind a long query, with every search and save queued behind it: it
# fails instead, and the migration can be run again (each statement is idempotent).

import django.contrib.postgres.indexes
from django.db import migrations, models

LIMIT_KB = 64
LOCK_TIMEOUT = "5s"
# Each index: its name, its edition, and whether it holds the recent articles.
INDEXES = [
    (f"article_search_{kind}_{code}", code, kind == "recent")
    for kind in ("recent", "older")
    for code in ("en", "ar", "fa")
]
NAMES = [name for name, _code, _recent in INDEXES]


def gin_index(name, code, recent):
    return django.contrib.postgres.indexes.GinIndex(
        condition=models.Q(("language", code), ("search_recent", recent)),
        fields=["search_vector", "section"],
        gin_pending_list_limit=LIMIT_KB,
        name=name,
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0041_search_older_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        f"SET lock_timeout = '{LOCK_TIMEOUT}'",
                        *(
                            f"ALTER INDEX {name} SET (gin_pending_list_limit = {LIMIT_KB})"
                            for name in NAMES
                        ),
                        "RESET lock_timeout",
                        *(f"SELECT gin_clean_pending_list('{name}'::regclass)" for name in NAMES),
                    ],
                    reverse_sql=[
                        f"SET lock_timeout = '{LOCK_TIMEOUT}'",
                        *(f"ALTER INDEX {name} RESET (gin_pending_list_limit)" for name in NAMES),
                        "RESET lock_timeout",
                    ],
                ),
            ],
            state_operations=[
                *(migrations.RemoveIndex(model_name="article", name=name) for name in NAMES),
                *(
                    migrations.AddIndex(model_name="article", index=gin_index(*index))
                    for index in INDEXES
                ),
            ],
        ),
    ]
