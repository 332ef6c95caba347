"""What an operator asks of a running site, read when asked: queues, backups, replicas.

Shared by the metrics (alwaght/metrics.py) and the desk's System page
(alwaght/system_page.py), so both say the same thing. Each function says what it
costs.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from alwaght.replicas import replica_lags
from articles.models import PendingChange
from comments.models import Comment

# What `manage.py backup` names its files (web/backups.py): alwaght-<UTC time>.backup.tar
BACKUP_NAME = re.compile(r"alwaght-(\d{8}T\d{6}Z)\.backup\.tar")


@dataclass(frozen=True)
class Backup:
    path: Path
    created_at: datetime
    size: int


def last_backup(folder: Path | None = None) -> Backup | None:
    """Return the newest backup file in ALWAGHT_BACKUP_DIR (a directory listing, no query)."""
    folder = Path(folder or settings.BACKUP_DIR)
    try:
        names = [entry.name for entry in folder.iterdir() if BACKUP_NAME.fullmatch(entry.name)]
    except OSError:  # no folder yet, or not readable: no backup known
        return None
    if not names:
        return None
    newest = max(names)  # the time in the name sorts as text
    stamp = BACKUP_NAME.fullmatch(newest)[1].replace("Z", "+0000")
    created = datetime.strptime(stamp, "%Y%m%dT%H%M%S%z")
    path = folder / newest
    return Backup(path, created.astimezone(UTC), path.stat().st_size)


def queue_sizes() -> dict[str, int]:
    """Return what waits for people: pending comments and held changes (two counts)."""
    return {
        "comments": Comment.objects.pending().order_by().count(),
        "held_changes": PendingChange.objects.awaiting_review().order_by().count(),
    }


def replicas() -> dict[str, float | None]:
    """Return each replica's lag in seconds (None: unknown or down); see alwaght/replicas.py."""
    return replica_lags()
