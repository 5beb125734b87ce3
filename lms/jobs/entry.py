"""Entry point for Huey's own consumer, as an alternative to `flask lms worker`:

    huey_consumer lms.jobs.entry.huey --workers 4 --worker-type thread

Importing this module builds the app (configuration from the environment, as wsgi.py), so
the queue has its storage and the tasks their app context. Nothing imports this module.
"""

from lms import create_app
from lms.jobs.queue import huey

app = create_app()

__all__ = ["app", "huey"]
