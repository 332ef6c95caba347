from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from alwaght.background import run_jobs
from alwaght.demo.loader import generate_synthetic_archive, load_demo_edition
from articles.search_recent import search_recent_refresh


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
        parser.add_argument(
            "--edition-articles",
            type=int,
            default=0,
            metavar="M",
            help="Also ensure M synthetic articles in each of the Arabic and Persian editions.",
        )

    def handle(self, *args, articles, edition_articles, **options):
        if articles < 0 or edition_articles < 0:
            raise CommandError("--articles and --edition-articles must be zero or more.")
        created = load_demo_edition()
        self.stdout.write(f"Demo edition: {created} new articles.")
        wanted = [("en", articles), ("ar", edition_articles), ("fa", edition_articles)]
        for language, total in wanted:
            if not total:
                continue
            with tqdm(total=total, unit="article", disable=options["verbosity"] == 0) as bar:
                made = generate_synthetic_archive(total, progress=bar.update, language=language)
            self.stdout.write(f"Synthetic archive ({language}): {made} new articles.")
        # What readers see at once on a new site: Most Viewed and Related Content.
        # Renditions are left to the worker (`make run` starts it): a few minutes
        # of CPU, and until then pages show the original photos.
        for outcome in run_jobs(["most_viewed", "related"]):
            self.stdout.write(f"{outcome.job}: {outcome.status}, {outcome.detail}.")
        # A bulk load marks every article for the index of recent articles (the
        # column's default); on a running site only each edition's newest are, the
        # worker moving 5,000 marks a minute. Moved now, all of them, so that search,
        # and make bench's figures, are those of the running site from the start.
        moved = 0
        while step := search_recent_refresh(limit=50_000):
            moved += step
        if moved:
            self.stdout.write(f"search_recent: {moved} marks moved to each edition's newest.")
