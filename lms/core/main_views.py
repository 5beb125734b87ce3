"""The front door and a health check for load balancers."""

from flask import jsonify, redirect, url_for
from sqlalchemy import text

from lms.core.db import db
from lms.core.routes import Routes

bp = Routes("main")


@bp.get("/")
def index():
    return redirect(url_for("learn.home"))


@bp.get("/healthz")
def health():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
