"""Start a run's draft or issue as one background task, after the commit that marks
the run; resume a task that stopped (it goes on where it stopped)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import BillingRun, RunJob
from .runs import run_draft_start, run_issue_start


def _enqueue(job, run_id, actor_id):
    from .. import tasks

    task = tasks.draft_run if job == RunJob.DRAFT else tasks.issue_run
    task.enqueue(run_id, actor_id)


def _after_commit(job, run, actor):
    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(lambda: _enqueue(job, run.pk, actor_id))


def run_draft_enqueue(*, run, actor, ip=None, user_agent=""):
    with transaction.atomic():
        run = run_draft_start(run=run, actor=actor, ip=ip, user_agent=user_agent)
        _after_commit(RunJob.DRAFT, run, actor)
    return run


def run_issue_enqueue(*, run, actor, ip=None, user_agent=""):
    with transaction.atomic():
        run = run_issue_start(run=run, actor=actor, ip=ip, user_agent=user_agent)
        _after_commit(RunJob.ISSUE, run, actor)
    return run


def run_job_resume(*, run, actor):
    """Enqueue the run's task again (after a stop): it goes on where it stopped."""
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().get(pk=run.pk)
        if not run.job:
            raise ValidationError("Aucune tâche à reprendre sur cette facturation.")
        run.job_error = ""
        run.save(update_fields=["job_error"])
        _after_commit(run.job, run, actor)
    return run
