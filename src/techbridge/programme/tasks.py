"""Background work of the programme app: a web import, run as a Job so the page can show its progress."""

from __future__ import annotations

from django.urls import reverse
from huey.contrib.djhuey import db_task

from techbridge.core.jobs import run_job
from techbridge.core.permissions import actor_for


@db_task()
def run_import(*, job_id: str, upload_id: int) -> None:
    """Import a previewed upload for real; on problems (data changed since the preview) offer the report."""
    from techbridge.programme.models import ImportUpload
    from techbridge.programme.services import IMPORTERS

    def work(progress):
        upload = ImportUpload.objects.select_related("created_by").get(pk=upload_id)
        actor = actor_for(upload.created_by)
        with upload.file.open("rb") as handle:
            result = IMPORTERS[upload.kind](actor=actor, source=handle, filename=upload.filename,
                                            progress=progress)
        if not result.ok:
            return {"failed": True, "message": result.summary(), "result": result.as_dict(),
                    "file_name": "import-problems.csv", "file_bytes": result.report.to_csv_bytes()}
        upload.preview = {**upload.preview, "imported": result.as_dict()}
        upload.save(update_fields=["preview"])
        next_url = reverse("programme:activity_list")
        if len(result.activity_ids) == 1:
            next_url = reverse("programme:activity_detail", args=[result.activity_ids[0]])
        return {"message": result.summary(), "result": {"summary": result.summary(), "next_url": next_url}}

    run_job(job_id, work)
