"""Table checksums (SEC-4): the same data gives the same checksum whether SQLite or PostgreSQL holds it.

The backup round trips in test_backup.py exercise `table_checksums` on the database under test.
"""

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from creditdesk.core.checksums import canonical_value


def test_checksums_read_sqlite_and_postgresql_values_alike():
    """SEC-4: the raw forms SQLite and PostgreSQL return for the same data render to the same canonical value."""
    shanghai = ZoneInfo("Asia/Shanghai")
    same = [
        (1, True, "bool"),
        (1.5, Decimal("1.50"), "decimal"),
        ("12345.60", Decimal("12345.600"), "decimal"),
        (100, Decimal("100.00"), "decimal"),
        ("2027-03-15 02:30:00", dt.datetime(2027, 3, 15, 10, 30, tzinfo=shanghai), "datetime"),
        # SQLite's converter yields naive UTC datetimes.
        (
            dt.datetime(2027, 3, 15, 2, 30, 0, 5),  # noqa: DTZ001
            dt.datetime(2027, 3, 15, 2, 30, 0, 5, tzinfo=dt.UTC),
            "datetime",
        ),
        ("12345678123456781234567812345678", uuid.UUID("12345678-1234-5678-1234-567812345678"), "uuid"),
        ('{"b": 1, "a": [true, null]}', '{"a": [true, null], "b": 1}', "json"),
        (1_500_000, dt.timedelta(seconds=1.5), "duration"),
        (b"\x00\xff", memoryview(b"\x00\xff"), None),
        (dt.date(2027, 3, 15), dt.date(2027, 3, 15), None),
    ]
    for sqlite_value, postgresql_value, kind in same:
        assert canonical_value(sqlite_value, kind) == canonical_value(postgresql_value, kind), (sqlite_value, kind)
    assert canonical_value(0, "bool") is False
    assert canonical_value(None, "decimal") is None
    assert canonical_value("1", None) != canonical_value(1, None)
