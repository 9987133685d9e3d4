"""Background work of the reports app: building a report file for the job page's download."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from techbridge.core.jobs import run_job


@db_task()
def build_report_task(*, job_id: str, year: int, fmt: str) -> None:
    from techbridge.reports.export import build_report

    def work(progress):
        built = build_report(year=year, fmt=fmt, progress=progress)
        return {"result": {"year": year, "format": fmt, "bytes": len(built.data)},
                "message": f"annual report {year} ({fmt.upper()}) ready",
                "file_name": built.file_name, "file_bytes": built.data}

    run_job(job_id, work)
