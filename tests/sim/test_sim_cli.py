"""``python -m simulations``: exit codes, one-line errors, JSON shape, --set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulations.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "simulations" / "scenarios"
MMC = SCENARIOS / "mmc_example.yaml"


def cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_run_json_is_one_object_with_the_issue_shape(capsys):
    code, out, err = cli(capsys, "run", MMC, "--seed", 3, "--replications", 4, "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert {"scenario", "kind", "replications", "kpis", "score"} <= set(data)
    assert data["replications"] == 4 and data["kind"] == "service_counter"
    for name in (
        "mean_wait_min",
        "p90_wait_min",
        "prob_wait",
        "service_level",
        "abandon_rate",
        "utilization",
        "served",
    ):
        assert set(data["kpis"][name]) == {"mean", "ci95"}
        assert len(data["kpis"][name]["ci95"]) == 2
    code, out, _ = cli(
        capsys, "run", SCENARIOS / "normal_dispatch_day.yaml", "--replications", 2, "--json"
    )
    kpis = json.loads(out)["kpis"]
    assert {"sla_compliance", "mean_arrival_min", "crew_utilization", "backlog_end"} <= set(kpis)


def test_run_table(capsys):
    code, out, _ = cli(capsys, "run", MMC, "--replications", 3)
    assert code == 0
    assert "mean_wait_min" in out and "95% CI" in out and "score:" in out


def test_set_changes_decisions_and_scenario_fields(capsys):
    _, base, _ = cli(capsys, "run", MMC, "--replications", 3, "--json")
    _, more, _ = cli(
        capsys, "run", MMC, "--replications", 3, "--json", "--set", "counters_open.general=6"
    )
    base, more = json.loads(base), json.loads(more)
    assert more["decisions"]["counters_open"]["general"] == [6] * 10
    assert more["kpis"]["mean_wait_min"]["mean"] < base["kpis"]["mean_wait_min"]["mean"]
    _, busier, _ = cli(
        capsys,
        "run",
        MMC,
        "--replications",
        3,
        "--json",
        "--set",
        "arrivals.rate_per_hour=44",
        "--set",
        "counters.general.max_count=9",
    )
    busier = json.loads(busier)
    assert busier["kpis"]["arrivals"]["mean"] > base["kpis"]["arrivals"]["mean"]
    assert busier["decision_bounds"][0]["groups"][0]["max"] == 9


def test_decisions_file(capsys, tmp_path):
    path = tmp_path / "decisions.yaml"
    path.write_text(yaml.safe_dump({"counters_open": {"general": 5}}), encoding="utf-8")
    code, out, _ = cli(capsys, "run", MMC, "--replications", 2, "--json", "--decisions", path)
    assert code == 0 and json.loads(out)["decisions"]["counters_open"]["general"][0] == 5


@pytest.mark.parametrize(
    "argv, code, line",
    [
        (["run", "{bad}", "--json"], 1, "{bad}: arrivals.rate_per_hour: must be > 0"),
        (["validate", "{bad}"], 1, "{bad}: arrivals.rate_per_hour: must be > 0"),
        (["run", "{missing}"], 1, "{missing}: file not found"),
        (["run", "{mmc}", "--replications", "0"], 1, "replications: must be between 1 and 1000"),
        (
            ["run", "{mmc}", "--set", "counters_open.general=50"],
            1,
            "counters_open.general: must be between 0 and 8",
        ),
        (["run", "{mmc}", "--set", "horizon_min=99999"], 1, "{mmc}: horizon_min: must be <= 10080"),
        (
            ["run", "{mmc}", "--set", "counters.vip.count=3"],
            2,
            "error: --set counters.vip.count=3: no item with id vip",
        ),
        (["run", "{mmc}", "--set", "novalue"], 2, "error: --set novalue: expected PATH=VALUE"),
    ],
)
def test_errors_are_one_line_with_non_zero_exit(capsys, tmp_path, argv, code, line):
    bad = tmp_path / "bad.yaml"
    data = yaml.safe_load(MMC.read_text(encoding="utf-8"))
    data["arrivals"]["rate_per_hour"] = 0
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    names = {"bad": bad, "missing": tmp_path / "missing.yaml", "mmc": MMC}
    argv = [a.format(**names) for a in argv]
    got, out, err = cli(capsys, *argv)
    assert got == code
    assert out == ""
    assert err == line.format(**names) + "\n"


def test_validate_and_list_builtin(capsys):
    files = sorted(SCENARIOS.glob("*.yaml"))
    code, out, err = cli(capsys, "validate", *files)
    assert code == 0 and err == ""
    assert out.count(": ok (") == len(files)
    code, out, _ = cli(capsys, "list")
    assert code == 0 and "typhoon-surge" in out


def test_decisions_command_prints_specs(capsys):
    code, out, _ = cli(capsys, "decisions", SCENARIOS / "typhoon_surge.yaml")
    assert code == 0
    assert [d["name"] for d in json.loads(out)] == [
        "crews_on_shift",
        "dispatch_policy",
        "surge_extra_crews",
    ]


def test_real_process_exit_code_and_no_traceback(tmp_path):
    bad = tmp_path / "scenario.yaml"
    bad.write_text("kind: service_counter\nid: x\nhorizon_min: -5\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "simulations", "validate", str(bad)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == f"{bad}: horizon_min: must be > 0\n"
    assert "Traceback" not in done.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "simulations", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert usage.returncode == 2
