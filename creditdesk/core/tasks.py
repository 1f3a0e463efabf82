"""Background tasks of the kernel (django.tasks)."""

from django.tasks import task


@task
def ping() -> str:
    """A no-op task: lets operators check that `creditdesk worker` is running."""
    return "pong"
