from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from comments.services import commenter_erase


class Command(BaseCommand):
    help = "Delete every comment sent with one email address (a reader's erasure request)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not an email address: {email!r}") from None
        erased = commenter_erase(email=email)
        self.stdout.write(f"Erased {erased} comments sent with {email}.")
