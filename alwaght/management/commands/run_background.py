import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from alwaght.background import JOBS, RELATED_BATCH, RENDITIONS_SECONDS, run_jobs


class Command(BaseCommand):
    help = (
        "Do the work readers never wait for (alwaght/background.py): Most Viewed lists, "
        "Related Content lists, photo renditions, old view counts. Once (for a timer "
        "every minute), or --loop as a small worker. Each job runs under a lock of its "
        "own, so two schedulers never run the same job at once; a failing job does not "
        "stop the others, and the exit status is 1 if any failed."
    )

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="Run every job once (default).")
        mode.add_argument("--loop", action="store_true", help="Run them again and again.")
        parser.add_argument(
            "--every",
            type=int,
            default=60,
            metavar="SECONDS",
            help="With --loop: start a run this often (default 60). Run by a timer: how "
            "often the timer runs this; either way /healthz/background calls a job stale "
            "after three such intervals without a success.",
        )
        parser.add_argument(
            "--job",
            action="append",
            choices=list(JOBS),
            dest="jobs",
            help="Run only this job (repeatable).",
        )
        parser.add_argument(
            "--related-batch",
            type=int,
            default=RELATED_BATCH,
            metavar="N",
            help=f"Related Content lists computed per run (default {RELATED_BATCH}).",
        )
        parser.add_argument(
            "--renditions-seconds",
            type=float,
            default=RENDITIONS_SECONDS,
            metavar="SECONDS",
            help="No new photo's renditions are started after this long in a run "
            f"(default {RENDITIONS_SECONDS:g}).",
        )

    def handle(self, *args, loop, every, jobs, related_batch, renditions_seconds, **options):
        if every < 1 or related_batch < 1 or renditions_seconds <= 0:
            raise CommandError(
                "--every, --related-batch and --renditions-seconds must be positive."
            )
        settings = {
            "every": every,
            "related_batch": related_batch,
            "renditions_seconds": renditions_seconds,
        }
        if not loop:
            if not self.run_once(jobs, settings):
                raise CommandError("A background job failed; see above and the log.")
            return
        stop = threading.Event()
        # systemd's stop: finish the job at hand, then leave. Ctrl-C: leave now (a
        # shell ignores it in a job started with `&`, as `make run` starts this one).
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            while not stop.is_set():
                started = time.monotonic()
                self.run_once(jobs, settings)
                close_old_connections()  # a connection that broke is not reused next time
                stop.wait(max(0.0, every - (time.monotonic() - started)))
        except KeyboardInterrupt:
            pass

    def run_once(self, jobs, settings) -> bool:
        """Run the jobs, report each on a line; return whether none failed."""
        outcomes = run_jobs(jobs, **settings)
        for outcome in outcomes:
            stream = self.stderr if outcome.status == "failed" else self.stdout
            stream.write(
                f"{outcome.job}: {outcome.status}, {outcome.detail} ({outcome.seconds:.2f} s)"
            )
        return all(outcome.status != "failed" for outcome in outcomes)
