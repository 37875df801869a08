"""The job queue: long or slow work (exports, certificate batches, large imports, e-mail) runs in a worker
process, not in the request. RQ on the local Redis (settings.RQ_QUEUES); `make run` starts a worker.

Two levels:
- `enqueue(func, *args)`: fire and forget (the password-reset mail). Jobs take ids and plain values,
  never model instances: the worker loads what it needs in its own scope.
- `job_start(owner=, kind=, title=, func=, params=)`: a tracked job, a `core.models.Job` the user follows
  on its page (progress, then the file or the result). `func` is the dotted path of a function of the app
  above (core never imports them) called as `func(job=job, user=user, **params)`, where `user` is the
  owner re-loaded by id: the function starts from `visible_to(user)` itself, so its file holds only what
  the owner may see. It reports progress with `job.report(done, total)` and returns a `JobResult`.
  A `django.core.exceptions.ValidationError` it raises is shown to the user as the reason it failed;
  a `JobRefused` (one with a `url`) also links the page the user goes on from.

JOBS_INLINE (the test settings) runs a job at once, in the caller, so tests see its effect.
JOBS_IN_PROCESS (no Redis: a fresh machine's `make run`) runs it in a thread of the web process.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

logger = logging.getLogger(__name__)

#: progress is written at most this often (seconds): one small UPDATE, not one per row
PROGRESS_EVERY = 1.0
#: a worker that has not sent its heartbeat for this long is dead (RQ sends one every 30 s while working)
DEAD_AFTER = 120


def _in_thread(func, *args, **kwargs) -> None:
    def run():
        try:
            func(*args, **kwargs)
        except Exception:
            logger.exception("Job %s failed", getattr(func, "__qualname__", func))
        finally:
            connections.close_all()

    threading.Thread(target=run, name="bithu-job").start()


def enqueue(func, /, *args, queue: str = "default", **kwargs) -> None:
    """Run `func(*args, **kwargs)` on the queue once the surrounding transaction commits (a rolled-back
    request queues nothing, and the worker never reads rows that are not committed yet)."""
    if getattr(settings, "JOBS_INLINE", False):
        func(*args, **kwargs)
        return
    if getattr(settings, "JOBS_IN_PROCESS", False):
        transaction.on_commit(lambda: _in_thread(func, *args, **kwargs))
        return

    def send():
        import django_rq

        django_rq.get_queue(queue).enqueue(func, *args, **kwargs)

    transaction.on_commit(send)


# ---------------------------------------------------------------------------------------------------
# Tracked jobs


@dataclass
class JobResult:
    """What a job function hands back: a file to download (`file`: bytes or an open binary file, with
    its download name and type), or the page of its result (`url`), and a message for the user."""

    file: bytes | IO[bytes] | None = None
    filename: str = ""
    content_type: str = "application/octet-stream"
    url: str = ""
    message: str = ""


class JobRefused(ValidationError):
    """A refusal (a ValidationError, shown as the reason) with the page the user goes on from: the job's
    page links it (an import refused because its data changed → the import's preview)."""

    def __init__(self, message, *, url: str = "", code: str | None = None):
        super().__init__(message, code=code)
        self.url = url


def _dotted(func) -> str:
    return func if isinstance(func, str) else f"{func.__module__}.{func.__qualname__}"


def job_start(*, owner, kind: str, title: str | Callable[[], str], func, params: dict | None = None):
    """Record a job of `owner` and queue it; the caller sends the user to `job.get_absolute_url()`.
    `func` is a dotted path (or a module-level function); `params` plain JSON values (ids, a query
    string), which is all a worker restarted later needs to run it again. `title` is a function that
    writes it with gettext: it is written in each of the portal's languages (`Job.titles`), so that the
    job's pages name it in the reader's language whichever one started it (a plain text is kept as is)."""
    from core.models import Job

    language = translation.get_language() or settings.LANGUAGE_CODE
    titles = {}
    if callable(title):
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                titles[code] = str(title())[:300]
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title=titles.get(language) or str(title)[:300],
        titles=titles,
        func=_dotted(func),
        params=params or {},
        language=language,
    )
    _queue(job)
    return job


def _queue(job) -> None:
    """Send the job to the worker (a new RQ id: a run of an older id that is still around stops itself)."""
    from core.models import Job

    if getattr(settings, "JOBS_INLINE", False):
        run_job(job.pk)
        job.refresh_from_db()
        return
    if getattr(settings, "JOBS_IN_PROCESS", False):
        transaction.on_commit(lambda: _in_thread(run_job, job.pk))
        return
    rq_id = str(uuid.uuid4())
    Job.objects.filter(pk=job.pk).update(rq_id=rq_id, status=Job.Status.QUEUED)
    job.rq_id = rq_id

    def send():
        import django_rq

        django_rq.get_queue("default").enqueue(run_job, job.pk, job_id=rq_id)

    transaction.on_commit(send)


def report_progress(job, done: int, total: int | None = None, *, force: bool = False) -> None:
    """Write the progress, at most once a second (the page polls it)."""
    from core.models import Job

    now = time.monotonic()
    if total is not None:
        job.progress_total = total
    job.progress_done = done
    if force or now - getattr(job, "_reported", 0.0) >= PROGRESS_EVERY:
        job._reported = now
        Job.objects.filter(pk=job.pk).update(progress_done=done, progress_total=job.progress_total)


def _current_rq_id() -> str | None:
    try:
        from rq import get_current_job
    except ImportError:  # pragma: no cover
        return None
    current = get_current_job()
    return current.id if current is not None else None


#: what a failure that is not a refusal says (the details are in the log, not for the user)
FAILED_MESSAGE = gettext_noop(
    "The work could not be finished. Start it again; if it fails again, tell the administrator."
)


def run_job(job_id: int) -> None:
    """The worker's entry: run the job's function as its owner and keep its result. Runs once: a job that
    has finished, or that was queued again under another RQ id, is left alone."""
    from django.contrib.auth import get_user_model

    from core.models import Job

    rq_id = _current_rq_id()
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    if rq_id is not None and job.rq_id and rq_id != job.rq_id:
        logger.info("Job %s: run %s superseded by %s", job_id, rq_id, job.rq_id)
        return
    job.status, job.started_at, job.attempts = Job.Status.RUNNING, timezone.now(), job.attempts + 1
    job.progress_done = 0
    job.save(update_fields=["status", "started_at", "attempts", "progress_done"])
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            user = get_user_model().objects.get(pk=job.owner_id)
            if not user.is_active:
                raise ValidationError(_("The account that started this work is no longer active."))
            result = import_string(job.func)(job=job, user=user, **job.params)
        except ValidationError as error:
            _finish(
                job, status=Job.Status.FAILED, message=" ".join(error.messages), url=getattr(error, "url", "")
            )
        except Exception:
            logger.exception("Job %s (%s) failed", job_id, job.func)
            _finish(job, status=Job.Status.FAILED, message=_(FAILED_MESSAGE))
        else:
            _finish(job, status=Job.Status.DONE, result=result or JobResult())


def _finish(job, *, status, message: str = "", result: JobResult | None = None, url: str = "") -> None:
    from core.models import Job

    if job.rq_id and not Job.objects.filter(pk=job.pk, rq_id=job.rq_id).exists():
        # Queued again meanwhile (its worker looked dead, but this run went on): the new run decides.
        logger.info("Job %s: run %s was superseded while it ran", job.pk, job.rq_id)
        return
    job.status, job.finished_at = status, timezone.now()
    fields = ["status", "finished_at", "message", "progress_done", "progress_total"]
    job.message, job.result_url = message, url
    fields.append("result_url")
    if result is not None:
        job.message = result.message
        job.result_url = result.url
        if job.progress_total is not None:
            job.progress_done = job.progress_total
        if result.file is not None:
            content = ContentFile(result.file) if isinstance(result.file, bytes) else File(result.file)
            job.file.save(result.filename or "file", content, save=False)
            job.file_name, job.content_type = result.filename, result.content_type
            if hasattr(result.file, "close"):
                result.file.close()
            fields += ["file", "file_name", "content_type"]
    job.save(update_fields=fields)


# ---------------------------------------------------------------------------------------------------
# A worker that died


def _live_worker_jobs(connection) -> set[str]:
    """The RQ ids the workers still alive are running. A worker is dead when its heartbeat is old, or when
    it ran on this machine and its process is gone (a killed worker stays listed until its key expires)."""
    from rq import Worker

    host, now, running = socket.gethostname(), timezone.now(), set()
    for worker in Worker.all(connection=connection):
        heartbeat = worker.last_heartbeat
        if heartbeat is not None and timezone.is_naive(heartbeat):
            heartbeat = heartbeat.replace(tzinfo=datetime.UTC)
        if heartbeat is not None and (now - heartbeat).total_seconds() > DEAD_AFTER:
            continue
        if worker.hostname == host and worker.pid and not _pid_alive(worker.pid):
            continue
        current = worker.get_current_job_id()
        if current:
            running.add(current)
    return running


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_abandoned(queue_name: str = "default") -> list[int]:
    """Queue again the jobs a dead worker left behind: "running" (or "waiting") in the portal but held by
    no live worker and not in the queue. Run by `manage.py worker` before it starts working."""
    import django_rq
    from rq.registry import StartedJobRegistry

    from core.models import Job

    queue = django_rq.get_queue(queue_name)
    # The queue read before and after the workers: a job that moved from one to the other in between counts.
    queued = set(queue.get_job_ids())
    live = _live_worker_jobs(queue.connection)
    queued |= set(queue.get_job_ids())
    started = StartedJobRegistry(queue=queue)
    requeued = []
    for job in Job.objects.filter(status__in=[Job.Status.RUNNING, Job.Status.QUEUED]).only("pk", "rq_id"):
        if job.rq_id and (job.rq_id in queued or job.rq_id in live):
            continue
        # The dead run leaves RQ's started registry (RQ would otherwise count it as failed, later).
        if job.rq_id and (dead_run := queue.fetch_job(job.rq_id)) is not None:
            started.remove_executions(dead_run)
        _queue(job)
        requeued.append(job.pk)
    if requeued:
        logger.warning("Re-queued jobs left by a stopped worker: %s", requeued)
    return requeued
