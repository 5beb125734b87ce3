"""Benchmark data: a whole supply company's marketing-service staff and their learning history.

`flask lms seed-bench --employees 5000` builds, on an empty (migrated) database:

- the org tree (company → branches → divisions → teams, about 25 people a team), the six job
  roles, HQ HR and training staff, a team leader per team;
- the real curriculum (courses/, through the normal importer) plus a set of generated
  elective courses, so that the catalogue and the lesson-progress table have a company's size;
- the certifications (the demo ones and a few more) and the job roles' requirements;
- for every person: enrolments (assigned path courses, the mandatory data-security course,
  electives), lesson progress, quiz attempts with every answer, awards with their history
  (valid, expiring, expired, revoked, superseded), notifications, simulation runs (when the
  practice tables exist), job-role history and rotation plans;
- named benchmark accounts with a known password (see NAMED).

Rows are written with bulk INSERTs in batches, not through the per-user services (which would
take hours), but they follow the services' rules: an enrolment is completed only when every
lesson is done and the required quiz passed, completion time after both; an award is issued
when its requirements are met, renewed only with fresh quiz evidence inside the
recertification window, at most one active award per person and certification; quiz scores
are computed from the stored answers. Everything is drawn from one seed: the same command
gives the same data.

The generator lives in the modules of this package: `plan` (the company and its people),
`catalogue`, `people`, `history`, `awards`, `practice_runs`, `database` (bulk writes, wiping)
and `seeder` (the steps in order). `flask lms seed-bench` uses what is imported here.
"""

from lms.seed.bench.database import BenchDataError, existing_people, wipe
from lms.seed.bench.plan import BENCH_PASSWORD, NAMED
from lms.seed.bench.seeder import BenchSeeder

__all__ = ["BENCH_PASSWORD", "NAMED", "BenchDataError", "BenchSeeder", "existing_people",
           "wipe"]
