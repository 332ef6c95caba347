from django.conf import settings
from django.core.management.base import BaseCommand

from comments.services import comment_ips_erase


class Command(BaseCommand):
    help = "Forget the IP addresses of comments older than COMMENTS_IP_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.COMMENTS_IP_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        erased = comment_ips_erase(older_than_days=max(days, 0))
        self.stdout.write(f"Erased the IP address of {erased} comments older than {days} days.")
