"""Learners: classes they may join, their schedule, and checking in to a session."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.extensions import db
from lms.records import classes
from lms.records.class_forms import CheckInForm
from lms.records.models import ClassSession

bp = Routes("learn")


@bp.get("/classes")
def my_classes():
    mine = classes.my_classes(current_user)
    joined = {c.id for c, _seat in mine}
    present = classes.present_ids([s.id for c, _seat in mine for s in c.sessions])
    return render_template("records/my_classes.html", mine=mine, present=present,
                           others=[c for c in classes.open_classes() if c.id not in joined])


@bp.post("/classes/<public_id>/enrol")
def class_enrol(public_id: str):
    from lms.core.forms import ActionForm

    cls = classes.by_public_id(public_id)
    if cls is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        seat = classes.enrol(cls, current_user)
    except ServiceError as e:
        flash(str(e.message), "danger")
    else:
        if seat.status == "enrolled":
            flash(_("You have a seat on %(t)s.", t=cls.title_zh), "success")
        else:
            flash(_("The class is full: you are on the waiting list."), "warning")
    return redirect(url_for("learn.my_classes"))


@bp.route("/classes/sessions/<session_id>/check-in", methods=["GET", "POST"])
def class_check_in(session_id: str):
    session = db.session.scalar(select(ClassSession).where(
        ClassSession.public_id == session_id))
    if session is None:
        abort(404)
    form = CheckInForm()
    if request.method == "GET" and request.args.get("code"):  # the QR code's link
        form.code.data = request.args.get("code", "")[:12]
    if form.validate_on_submit():
        try:
            classes.check_in(current_user, session, form.code.data)
        except ServiceError as e:
            db.session.rollback()
            apply_error(form, e)
        else:
            flash(_("Checked in: your attendance is recorded."), "success")
            return redirect(url_for("learn.my_classes"))
    return render_template("records/check_in.html", form=form, session=session), (
        422 if form.errors else 200)
