"""Background work on a real task queue (Huey).

- `queue`: the one Huey instance, its storage chosen from the configuration (SQLite under
  instance/ by default; Redis when REDIS_URL is set, for several hosts and workers), the app
  the tasks run in, and live progress kept in the queue's own key-value store.
- `models`: `Job`, the record of every piece of background work: who started it, what,
  with which parameters, its status, progress, result or error, and attempts.
- `runner`: job kinds (`@handler`), submitting a job (enqueued after the commit that
  recorded it), running it in the worker (idempotent claim, retries), periodic jobs
  (`@periodic`, times from the configuration) and retrying a failed job.
- `maintenance`: the retention purge and the rescue of jobs whose worker died.

This feature comes first in lms/features.py: every other feature may hand it work; it
imports none of them (they register their job kinds when loaded).
"""
