"""The newsroom's groups are put right once a migrate is done (alwaght/apps.py)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management.sql import emit_post_migrate_signal

from alwaght import roles

pytestmark = pytest.mark.django_db


def test_a_migrate_puts_the_groups_right_once(monkeypatch):
    editors = Group.objects.get(name=roles.EDITORS)
    granted = set(editors.permissions.values_list("pk", flat=True))
    editors.permissions.clear()  # as if someone had emptied the group by hand
    asked = []
    real = roles.table_permissions
    monkeypatch.setattr(roles, "table_permissions", lambda role: asked.append(role) or real(role))

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # as migrate ends

    assert set(editors.permissions.values_list("pk", flat=True)) == granted
    # Editors and Chief Editors once each: not once for every app with models.
    assert sorted(role for role in asked if role in (roles.EDITOR, roles.CHIEF)) == sorted(
        [roles.EDITOR, roles.CHIEF]
    )
