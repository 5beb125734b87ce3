"""HR: every person's training file and the training-hours report."""

from __future__ import annotations

from lms.core.routes import Routes
from lms.records import pages

bp = Routes("hr")


@bp.get("/people/<public_id>/training-file")
def training_file(public_id: str):
    return pages.file_page("hr", pages.person_in_scope(public_id, None))


@bp.get("/people/<public_id>/training-file.<fmt>")
def training_file_export(public_id: str, fmt: str):
    return pages.file_export(pages.person_in_scope(public_id, None), fmt)


@bp.get("/training-hours")
def training_hours():
    return pages.hours_page("hr", None)


@bp.get("/training-hours.<fmt>")
def training_hours_export(fmt: str):
    return pages.hours_export(None, fmt)
