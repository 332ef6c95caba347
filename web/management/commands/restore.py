from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from web.backups import BackupError, backup_restore, read_manifest


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database and the uploads' "
        "storage (disk or bucket). The whole file is checked before anything is touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .backup.tar file.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "Restore over a database that is not empty: everything it holds is dropped "
                "first, in the restore's own transaction (a failed restore changes nothing)."
            ),
        )

    def handle(self, *args, path, replace, **options):
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"No such backup: {path}")
        try:
            differences = backup_restore(path=path, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = read_manifest(path)
        if differences:
            for table, (expected, restored) in sorted(differences.items()):
                self.stderr.write(f"{table}: {expected} rows in the manifest, {restored} restored")
            raise CommandError("The restored row counts differ from the backup's manifest.")
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: "
            f"{sum(manifest['row_counts'].values())} rows, counts match the manifest."
        )
