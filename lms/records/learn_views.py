"""The learner's own training file (培训档案)."""

from __future__ import annotations

from flask_login import current_user

from lms.core.routes import Routes
from lms.records import pages

bp = Routes("learn")


@bp.get("/training-file")
def my_training_file():
    return pages.file_page("learn", current_user)


@bp.get("/training-file.<fmt>")
def my_training_file_export(fmt: str):
    return pages.file_export(current_user, fmt)
