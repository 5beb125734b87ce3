"""The job queue's entry point for Huey's own consumer, beside wsgi.py (the web's):

    huey_consumer worker.huey --workers 4 --worker-type thread

(the same as `flask --app wsgi lms worker --workers 4`). Importing this module builds the
app (configuration from the environment), so the queue has its storage and the tasks their
app context.
"""

from lms import create_app
from lms.jobs.queue import huey

app = create_app()

__all__ = ["app", "huey"]
