"""Backup databases (SEC-4): temporary connections, snapshots, SQLite images and the PostgreSQL client tools."""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import environ
from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend

from creditdesk.core.backup_archive import BackupError, migration_state
from creditdesk.core.checksums import TableSummary, table_checksums

SQLITE_ENGINE = "django.db.backends.sqlite3"

# libpq environment variables for the OPTIONS a PostgreSQL DATABASE_URL may carry.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


@contextmanager
def temporary_connection(settings_dict: Mapping[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A temporary connection (scratch, snapshot, target) under an alias of its own, outside DATABASES.

    Registered in `connections` for the duration because Django's transactions and introspection look
    connections up by alias.
    """
    alias = f"creditdesk_backup_{secrets.token_hex(4)}"
    conn: BaseDatabaseWrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), alias)
    connections[alias] = conn
    try:
        yield conn
    finally:
        conn.close()
        del connections[alias]


@contextmanager
def read_snapshot(settings_dict: Mapping[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A connection inside one read-only view of all tables (PostgreSQL: a repeatable-read transaction)."""
    with temporary_connection(settings_dict) as conn, transaction.atomic(using=conn.alias):
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield conn
        transaction.set_rollback(True, using=conn.alias)


def sqlite_settings(base: Mapping[str, Any], path: Path) -> dict[str, Any]:
    return {**base, "ENGINE": SQLITE_ENGINE, "NAME": str(path), "OPTIONS": {}}


def sqlite_image(live: BaseDatabaseWrapper, target: Path) -> None:
    """Copy the live SQLite database page by page with the online backup API: consistent while the app writes."""
    live.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        live.connection.backup(destination)
        # A self-contained file: readable without a -wal side file.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def sqlite_restore(image: Path, target: Path) -> None:
    # The backup API, not a file copy: it takes the proper locks if a process has the target open.
    source = sqlite3.connect(image)
    try:
        destination = sqlite3.connect(target, timeout=20)
        try:
            source.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as error:
        raise BackupError(f"Cannot restore into {target}: {error}.") from error
    finally:
        source.close()


def sqlite_integrity(conn: BaseDatabaseWrapper) -> list[str]:
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        result = [str(row[0]) for row in cursor.fetchall()]
    return [] if result == ["ok"] else [f"integrity check: {line}" for line in result]


def postgresql_image(live_settings: Mapping[str, Any], target: Path) -> tuple[dict[str, TableSummary], dict[str, str]]:
    """pg_dump the live database and checksum it, both from one exported snapshot, so they describe the same data."""
    with read_snapshot(live_settings) as conn:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # pg_dump joins the snapshot, which lives as long as this transaction.
        pg_tool(
            "pg_dump",
            live_settings,
            ["--format=custom", f"--file={target}", f"--snapshot={snapshot}", *dbname(live_settings)],
        )
        return table_checksums(conn), migration_state(conn)


PG_RESTORE_OPTIONS = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]


def postgresql_scratch_checksums(live_settings: Mapping[str, Any], image: Path) -> dict[str, TableSummary]:
    """Restore into `creditdesk_verify_<random>` on the live server, checksum it, drop it."""
    name = f"creditdesk_verify_{secrets.token_hex(6)}"
    scratch_settings = {**live_settings, "NAME": name}
    # A connection of its own, in autocommit: CREATE/DROP DATABASE cannot run inside a transaction.
    with temporary_connection(live_settings) as admin:
        with admin.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {admin.ops.quote_name(name)} TEMPLATE template0")
        try:
            pg_tool("pg_restore", scratch_settings, [*PG_RESTORE_OPTIONS, *dbname(scratch_settings), str(image)])
            with read_snapshot(scratch_settings) as scratch:
                return table_checksums(scratch)
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {admin.ops.quote_name(name)} WITH (FORCE)")


def dbname(settings_dict: Mapping[str, Any]) -> list[str]:
    return [f"--dbname={settings_dict['NAME']}"] if settings_dict.get("NAME") else []


def pg_tool(program: str, settings_dict: Mapping[str, Any], arguments: list[str]) -> None:
    """Run pg_dump/pg_restore with the connection settings of `settings_dict` (password via PGPASSWORD)."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is not on PATH: install the PostgreSQL client tools (the server's major version or newer)."
        )
    command = [executable, "--no-password"]
    if settings_dict.get("HOST"):
        command.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        command.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        command.append(f"--username={settings_dict['USER']}")
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    env.update({variable: str(options[option]) for option, variable in PG_OPTION_ENV.items() if options.get(option)})
    # A list of arguments, no shell: nothing in the settings is interpreted.
    completed = subprocess.run([*command, *arguments], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BackupError(f"{program} failed (exit {completed.returncode}): {completed.stderr.strip()[-2000:]}")


def settings_for_target(live_settings: Mapping[str, Any], into: str) -> dict[str, Any]:
    """Connection settings for a restore target: a database URL, or a plain path meaning an SQLite file."""
    if "://" not in into:
        return sqlite_settings(live_settings, Path(into).resolve())
    parsed = environ.Env.db_url_config(into)
    if parsed["ENGINE"] not in (SQLITE_ENGINE, "django.db.backends.postgresql"):
        raise BackupError(f"Restores go into SQLite or PostgreSQL, not {parsed['ENGINE']}.")
    if parsed["ENGINE"] == SQLITE_ENGINE:
        return sqlite_settings(live_settings, Path(parsed["NAME"]).resolve())
    return {
        **live_settings,
        **{key: parsed.get(key, "") for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")},
        "OPTIONS": parsed.get("OPTIONS", {}),
    }


def is_live(target_settings: Mapping[str, Any], live: BaseDatabaseWrapper) -> bool:
    """Whether the target is the database the application runs on, however its address is spelled."""
    if target_settings["ENGINE"] != live.settings_dict["ENGINE"]:
        return False
    if target_settings["ENGINE"] == SQLITE_ENGINE:
        target, current = Path(str(target_settings["NAME"])), Path(str(live.settings_dict["NAME"]))
        if target.exists() and current.exists():
            return target.samefile(current)
        return target.resolve() == current.resolve()
    if target_settings["NAME"] != live.settings_dict["NAME"]:
        return False
    # Same name; the same server if it started at the same instant on the same port (127.0.0.1 vs localhost, …).
    server_sql = "SELECT pg_postmaster_start_time(), inet_server_port()"
    with live.cursor() as cursor:
        cursor.execute(server_sql)
        live_server = cursor.fetchone()
    try:
        with temporary_connection(target_settings) as conn, conn.cursor() as cursor:
            cursor.execute(server_sql)
            return bool(cursor.fetchone() == live_server)
    except DatabaseError as error:
        raise BackupError(f"Cannot connect to {describe(target_settings)}: {error}") from error


def has_tables(settings_dict: dict[str, Any]) -> bool:
    if settings_dict["ENGINE"] == SQLITE_ENGINE and not Path(settings_dict["NAME"]).exists():
        return False  # not connecting: that would create the file
    try:
        with temporary_connection(settings_dict) as conn, conn.cursor() as cursor:
            return bool(conn.introspection.table_names(cursor))
    except DatabaseError as error:
        raise BackupError(f"Cannot connect to {describe(settings_dict)}: {error}") from error


def describe(settings_dict: Mapping[str, Any]) -> str:
    """The database named without its password (for messages and the audit log)."""
    if settings_dict["ENGINE"] == SQLITE_ENGINE:
        return f"sqlite:{settings_dict['NAME']}"
    user = f"{settings_dict['USER']}@" if settings_dict.get("USER") else ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgresql://{user}{settings_dict.get('HOST') or 'localhost'}{port}/{settings_dict['NAME']}"
