"""Background work of the billing (django.tasks): a run's draft and its issue, each one
task taking the run's id, then the documents of the issued run (PDFs). Enqueued again
after a stop, a task goes on where the previous one stopped (see ``run_draft_continue``
and ``run_issue_continue``)."""

from django.contrib.auth import get_user_model
from django.tasks import task


def _load(run_id, actor_id):
    from .models import BillingRun

    run = BillingRun.objects.filter(pk=run_id).first()
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return run, actor


@task
def draft_run(run_id, actor_id=None):
    """Compute the drafts of a run, batch after batch."""
    from .services import run_draft_continue, run_task_failed

    run, actor = _load(run_id, actor_id)
    if run is None:
        return 0
    try:
        return run_draft_continue(run=run, actor=actor).job_done
    except Exception as error:
        run_task_failed(run=run, error=error)
        raise


@task
def issue_run(run_id, actor_id=None):
    """Issue every draft of a run, one transaction per batch of invoices."""
    from .services import run_issue_continue, run_task_failed

    run, actor = _load(run_id, actor_id)
    if run is None:
        return 0
    try:
        return run_issue_continue(run=run, actor=actor).job_done
    except Exception as error:
        run_task_failed(run=run, error=error)
        raise


@task
def invoice_documents(run_id):
    """The documents of an issued run's invoices (their PDFs), those still missing."""
    from .models import BillingRun
    from .services.documents import run_documents

    run = BillingRun.objects.filter(pk=run_id).first()
    return 0 if run is None else run_documents(run=run)


@task
def issue_tax_certificates(regie_id, year, actor_id=None):
    """Every attestation fiscale of ``year`` for a régie (those issued already kept)."""
    from .models import Regie
    from .services.tax import tax_certificates_issue_year

    regie = Regie.objects.filter(pk=regie_id).first()
    if regie is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return tax_certificates_issue_year(regie=regie, year=year, actor=actor)


@task
def send_reminders():
    """The day's reminders and dunning notices (each invoice gets each once)."""
    from .services.reminders import reminders_send

    return {str(kind): count for kind, count in reminders_send().items()}
