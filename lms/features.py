"""The features, in the order their imports allow (each may import those above it).

`load()` imports every feature's models (so that SQLAlchemy knows every table, for
migrations and `create_all`) and its requirement kinds (so that the one registry in
`lms.core.requirements` is complete before the first request).
"""

from __future__ import annotations

from importlib import import_module

FEATURES = (
    "jobs",
    "people",
    "notifications",
    "catalog",
    "assessment",
    "practice",
    "certification",
    "records",
    "rotation",
    "home",
    "studio",
    "integration",
)

MODEL_MODULES = (
    "lms.core.audit",
    "lms.jobs.models",
    "lms.people.models",
    "lms.people.security_models",
    "lms.notifications.models",
    "lms.catalog.models",
    "lms.catalog.learning_models",
    "lms.assessment.models",
    "lms.practice.models",
    "lms.certification.models",
    "lms.records.models",
    "lms.rotation.models",
    "lms.studio.models",
    "lms.integration.models",
)

# Modules that register requirement kinds or after-commit listeners when imported.
HOOK_MODULES = (
    "lms.jobs.runner",
    "lms.jobs.maintenance",
    "lms.people.roster_jobs",
    "lms.notifications.retention",
    "lms.notifications.mail",
    "lms.catalog.kinds",
    "lms.assessment.kinds",
    "lms.assessment.grants",
    "lms.practice.kinds",
    "lms.certification.kinds",
    "lms.records.kinds",
    "lms.certification.rules",
    "lms.certification.evaluation_jobs",
    "lms.practice.runs",
    "lms.studio.assignment_rules",
    "lms.studio.assignment_jobs",
    "lms.integration.xapi",
    "lms.integration.xapi_jobs",
)


def load() -> None:
    for name in MODEL_MODULES + HOOK_MODULES:
        import_module(name)
