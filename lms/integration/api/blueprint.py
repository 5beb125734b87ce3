"""The API blueprint; its modules attach error handlers, hooks and routes to it."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
