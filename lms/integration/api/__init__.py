"""The integration API, /api/v1: JSON for other systems (HR roster sync, the data platform,
certificate checks), authenticated by bearer tokens that administrators make.

Who may call what is decided with everything else in lms/permissions.py (a valid token with
the `read` scope for GET, `write` for the rest); this package validates input with pydantic,
shapes output, paginates, limits the rate per token and serves its OpenAPI document.
Messages in API errors are English: the API is read by programs and their operators.
"""

from lms.integration.api import core, errors, views  # noqa: F401 - hooks and routes on bp
from lms.integration.api.blueprint import bp

__all__ = ["bp"]
