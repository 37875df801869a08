"""The job queue: long or slow work (exports, certificate batches, large imports, e-mail) runs in a worker
process, not in the request. RQ on the local Redis (settings.RQ_QUEUES); `make run` starts a worker.

Jobs take ids and plain values, never model instances: the worker loads what it needs in its own scope.
JOBS_INLINE (the test settings) runs a job at once, in the caller, so tests see its effect.
"""

from django.conf import settings
from django.db import transaction


def enqueue(func, /, *args, queue: str = "default", **kwargs) -> None:
    """Run `func(*args, **kwargs)` on the queue once the surrounding transaction commits (a rolled-back
    request queues nothing, and the worker never reads rows that are not committed yet)."""
    if getattr(settings, "JOBS_INLINE", False):
        func(*args, **kwargs)
        return

    def send():
        import django_rq

        django_rq.get_queue(queue).enqueue(func, *args, **kwargs)

    transaction.on_commit(send)
