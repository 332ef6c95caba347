from django.core.management.base import BaseCommand

from popularity.services import view_counts_prune


class Command(BaseCommand):
    help = (
        "Delete view counts older than the Most Viewed month window and fold older "
        "shard rows together. Safe to run at any time, e.g. daily from cron."
    )

    def handle(self, *args, **options):
        deleted, folded = view_counts_prune()
        self.stdout.write(f"Deleted {deleted} old rows; folded shards into {folded} rows.")
