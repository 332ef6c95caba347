from django.core.cache.backends.redis import RedisCache
from django.core.management.base import BaseCommand

from pagecache.versions import pages_cache, pages_purge


class Command(BaseCommand):
    help = "Make every cached page stale at once (with --delete, also delete the entries)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Also delete every entry (frees the space)."
        )

    def handle(self, *args, delete=False, **options):
        pages_purge()
        if delete:
            delete_pages()
        self.stdout.write("Every cached page is stale" + (" and deleted." if delete else "."))


def delete_pages() -> None:
    """Delete the page cache's entries only: on Redis, the keys under its own prefix."""
    cache = pages_cache()
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match=f"{cache.key_prefix}:*", count=1000):
            client.unlink(key)
    else:
        cache.clear()
