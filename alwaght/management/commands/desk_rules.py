"""Print the desk's rules table (publishing/desk_rules.py) as Markdown, for docs/security.md."""

from django.core.management.base import BaseCommand

from publishing.desk_rules import markdown_table


class Command(BaseCommand):
    help = "Print who may do what on the desk, as the rules table says, in Markdown."

    def handle(self, *args, **options):
        self.stdout.write(markdown_table(), ending="")
