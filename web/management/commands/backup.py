from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from web.backups import BackupError, backup_create, default_folder, read_manifest


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump) and the uploads into one file with a manifest, "
        "readable by its owner only (sessions and sign-in locks left out)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            default=str(default_folder()),
            help=(
                "Folder for the backup file (default: var/backups). Made 0700 if new; "
                "refused if other users can look into it."
            ),
        )

    def handle(self, *args, to, **options):
        try:
            path = backup_create(destination=Path(to))
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = read_manifest(path)
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(f"{path} ({rows} rows in {len(manifest['row_counts'])} tables)")
