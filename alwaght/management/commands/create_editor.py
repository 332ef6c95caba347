import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the first admin account with a generated password and print it once. "
        "Does nothing if the account exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin account '{username}' exists. Forgot the password? "
                f"Run: python manage.py changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nAdmin account created (shown only this once):\n"
                f"  user:     {username}\n  password: {password}\n"
                f"  sign in:  http://127.0.0.1:8000/admin/\n"
            )
        )
