"""On PostgreSQL the rate-limit counters skip the write-ahead log (an UNLOGGED table).

Each request behind a rate limit (a friend's page and answer, the calendar feed) raises a
counter in its own transaction, and each such commit waited for the log to reach the
disk: about 110 us of a 190 us upsert, measured on the bench machine. Counters are worth
nothing after a crash: PostgreSQL empties an unlogged table when it recovers from one,
and standbys do not have its rows, so after a crash or a failover every window starts
again from 0. SQLite has no such tables: nothing changes there.
"""

from django.db import migrations

TABLE = "opportunities_throttle"


def _persistence(kind: str):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {TABLE} SET {kind}")

    return alter


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0012_page_versions"),
    ]

    operations = [
        migrations.RunPython(_persistence("UNLOGGED"), _persistence("LOGGED"), elidable=False),
    ]
