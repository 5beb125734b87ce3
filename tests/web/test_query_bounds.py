"""Every page the benchmarks load runs the same number of SQL queries at two data sizes.

Both sizes come from the benchmark data generator (`flask lms seed-bench`), so the pages see
what they see in production: many courses, attempts, awards, plans and people.
"""

from __future__ import annotations

import re

import pytest

from lms.seed import bench as bench_data
from tests.conftest import (
    Auth,
    count_queries,
)

# Slow (servers, fuzzing, long replications): `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

PAGES = {
    "B0001": ["/learn/", "/learn/courses/SV-401", "LESSON"],
    "B0002": ["/hr/compliance", "/hr/compliance?page=2", "/hr/rotations", "/hr/skills"],
    "B0003": ["/team/compliance"],
}


def _counts(app) -> dict[str, int]:
    out = {}
    for who, paths in PAGES.items():
        client = app.test_client()
        assert Auth(client).login(who, bench_data.BENCH_PASSWORD).status_code == 302
        for path in paths:
            if path == "LESSON":
                html = client.get("/learn/courses/DT-102").get_data(as_text=True)
                path = sorted(set(re.findall(r'href="(/learn/courses/DT-102/lessons/[^"]+)"',
                                             html)))[1]
                client.get(path)  # the first visit records "resume here" (one write)
            client.get(path)  # warm: lazily built caches are not the page's queries
            with count_queries(app) as counter:
                assert client.get(path).status_code == 200, path
            out[f"{who} {path.split('/lessons/')[0]}"] = counter["n"]
    return out


def test_pages_run_the_same_queries_at_two_data_sizes(app, db):
    bench_data.BenchSeeder(30, seed=1).run()
    small = _counts(app)
    bench_data.wipe()
    bench_data.BenchSeeder(150, seed=2).run()
    large = _counts(app)
    assert small == large, {k: (small[k], large.get(k)) for k in small if small[k] != large.get(k)}
    assert all(n < 40 for n in large.values()), large
