"""Simulation engine speed, compared in the same run with plain SimPy and with Ciw.

    .venv/bin/python benchmarks/sim_bench.py [--repeat 7] [--no-write]

Measures customers simulated per second on one M/M/c case for
- our engine (``simulations.run``: with its statistics, time series and invariant checks),
- a minimal plain-SimPy M/M/c model (source process + Resource), and
- the Ciw library,
each as the median of several runs; then the time of a whole business-hall day and of a
dispatch day. Prints the figures and writes them between the ``sim-bench`` markers in
docs/BENCHMARKS.md (other content of that file is kept).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ciw  # noqa: E402
import simpy  # noqa: E402

import simulations  # noqa: E402

DOC = ROOT / "docs" / "BENCHMARKS.md"
START, END = "<!-- sim-bench:start -->", "<!-- sim-bench:end -->"

# The shared M/M/c case: 10 counters, 1.8 arrivals per minute, 5-minute mean service (rho 0.9),
# three weeks of simulated time (about 54,000 customers).
SERVERS, LAM, MEAN_SERVICE, REPS, HORIZON = 10, 1.8, 5.0, 3, 10080.0


def mmc_scenario() -> dict:
    return {
        "kind": "service_counter",
        "id": "bench-mmc",
        "horizon_min": HORIZON,
        "arrivals": {"rate_per_hour": LAM * 60},
        "service_types": [
            {
                "id": "only",
                "share": 1.0,
                "service_min": {"dist": "exponential", "mean": MEAN_SERVICE},
            }
        ],
        "counters": [{"id": "all", "count": SERVERS, "serves": ["only"]}],
        "target_wait_min": 5,
    }


def ours(seed: int) -> int:
    result = simulations.run(mmc_scenario(), seed=seed, replications=REPS)
    return int(sum(result.kpis["arrivals"].values))


def plain_simpy(seed: int) -> int:
    """The textbook SimPy M/M/c: one process per customer queueing on a Resource."""
    rng = random.Random(seed)
    env = simpy.Environment()
    counters = simpy.Resource(env, capacity=SERVERS)
    waits: list[float] = []

    def customer():
        arrive = env.now
        with counters.request() as req:
            yield req
            waits.append(env.now - arrive)
            yield env.timeout(rng.expovariate(1 / MEAN_SERVICE))

    def source():
        while True:
            yield env.timeout(rng.expovariate(LAM))
            env.process(customer())

    env.process(source())
    env.run(until=HORIZON * REPS)
    return len(waits)


def with_ciw(seed: int) -> int:
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=LAM)],
        service_distributions=[ciw.dists.Exponential(rate=1 / MEAN_SERVICE)],
        number_of_servers=[SERVERS],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(HORIZON * REPS)
    return len(sim.get_all_records())


def throughput(fn, repeat: int) -> tuple[float, int]:
    """Median customers per second over ``repeat`` runs (different seeds)."""
    rates, count = [], 0
    for seed in range(repeat):
        start = time.perf_counter()
        count = fn(seed)
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates), count


def timed(fn, repeat: int) -> float:
    times = []
    for seed in range(repeat):
        start = time.perf_counter()
        fn(seed)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement (median)")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)

    ours_rate, ours_n = throughput(ours, repeat)
    simpy_rate, simpy_n = throughput(plain_simpy, repeat)
    ciw_rate, ciw_n = throughput(with_ciw, repeat)

    builtin = simulations.builtin_scenarios()
    hall = simulations.load_scenario(builtin["month-end-payment-peak"])
    day_customers = simulations.run(hall, seed=0).kpis["arrivals"].mean
    hall_day = timed(lambda s: simulations.run(hall, seed=s), max(repeat, 21))
    hall_100 = timed(lambda s: simulations.run(hall, seed=s, replications=100), 3)
    storm = simulations.load_scenario(builtin["typhoon-surge"])
    storm_result = simulations.run(storm, seed=0, replications=20)
    storm_tickets = sum(storm_result.kpis["tickets"].values)
    storm_time = timed(lambda s: simulations.run(storm, seed=s, replications=20), repeat)

    ratio_simpy = ours_rate / simpy_rate
    ratio_ciw = ours_rate / ciw_rate
    met = ratio_ciw >= 1 and ratio_simpy >= 0.5
    command = " ".join(
        [".venv/bin/python benchmarks/sim_bench.py", *(argv if argv is not None else sys.argv[1:])]
    ).strip()
    lines = [
        START,
        "## Simulation engine speed",
        "",
        f"Produced by `{command}` on {datetime.date.today().isoformat()} "
        f"(Python {platform.python_version()}, SimPy {simpy.__version__}, Ciw {ciw.__version__}, "
        f"{os.cpu_count()} CPUs). Median of {repeat} runs with different seeds.",
        "",
        f"Same M/M/c case for all three: {SERVERS} servers, {LAM} arrivals/min, "
        f"{MEAN_SERVICE:g}-min exponential service "
        f"(utilisation {LAM * MEAN_SERVICE / SERVERS:.2f}), "
        f"{HORIZON * REPS:,.0f} simulated minutes (about {ours_n:,} customers; ours as "
        f"{REPS} replications of {HORIZON:,.0f} min).",
        "",
        "| engine | customers/s | vs minimal SimPy |",
        "| --- | ---: | ---: |",
        f"| ours: `simulations.run` (KPIs, CIs, time series, invariant checks) | {ours_rate:,.0f} "
        f"| {ratio_simpy:.2f}x |",
        f"| minimal plain-SimPy M/M/c (Resource + process per customer) | {simpy_rate:,.0f} "
        "| 1.00x |",
        f"| Ciw {ciw.__version__} | {ciw_rate:,.0f} | {ciw_rate / simpy_rate:.2f}x |",
        "",
        f"Goal (at least as fast as Ciw, within 2x of minimal SimPy): "
        f"{'met' if met else 'NOT met'} -- ours is {ratio_ciw:.2f}x Ciw and "
        f"{ratio_simpy:.2f}x minimal SimPy.",
        "",
        f"- Business-hall day (`month-end-payment-peak`: about {day_customers:,.0f} customers, "
        f"two counter groups, kiosks, priority class, reneging): {hall_day * 1000:.1f} ms per "
        f"replication (median of {max(repeat, 21)}); 100 replications with CIs: "
        f"{hall_100:.2f} s (median of 3).",
        f"- Dispatch day (`typhoon-surge`, 20 replications, about {storm_tickets / 20:.0f} tickets "
        f"each): {storm_time:.3f} s, {storm_tickets / storm_time:,.0f} tickets/s.",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"\nwritten to {DOC.relative_to(ROOT)}")
    return 0


def write_section(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
