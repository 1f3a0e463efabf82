"""Background tasks of the kernel (django.tasks)."""

from django.tasks import task

from creditdesk.core.backup import backup_create


@task
def ping() -> str:
    """A no-op task: lets operators check that `creditdesk worker` is running."""
    return "pong"


@task
def backup_database() -> dict[str, object]:
    """The daily backup (SEC-4): enqueued by `creditdesk scheduler`, run by `creditdesk worker`."""
    result = backup_create()
    return {"file": result.path.name, "size": result.size, "sha256": result.sha256, "tables": result.tables}
