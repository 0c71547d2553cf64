from celery import shared_task


@shared_task(name="evaluation.generate_report", acks_late=True)
def generate_report(job_id):
    from .services.reports import report_run

    job = report_run(job_id)
    return {"job": job.pk, "status": job.status}
