from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from alwaght.demo.loader import generate_synthetic_archive, load_demo_edition


class Command(BaseCommand):
    help = (
        "Load the demo edition (idempotent). With --articles N, also top the archive up "
        "to N synthetic articles for load testing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=0,
            metavar="N",
            help="Ensure N synthetic load-test articles exist (bulk inserted).",
        )

    def handle(self, *args, articles, **options):
        if articles < 0:
            raise CommandError("--articles must be zero or more.")
        created = load_demo_edition()
        self.stdout.write(f"Demo edition: {created} new articles.")
        if articles:
            with tqdm(total=articles, unit="article", disable=options["verbosity"] == 0) as bar:
                made = generate_synthetic_archive(articles, progress=bar.update)
            self.stdout.write(f"Synthetic archive: {made} new articles.")
