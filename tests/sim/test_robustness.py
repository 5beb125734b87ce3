"""Bad input gets a one-line message naming the field: nesting depth, .nan / .inf, and
true/false where a number is expected (CLI, loader)."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulations import ScenarioError, builtin_scenarios, load_scenario, load_scenario_text
from simulations.safe_yaml import MAX_DEPTH

ROOT = Path(__file__).resolve().parents[2]


def hall():
    return yaml.safe_load(builtin_scenarios()["quiet-weekday-hall"].read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000,
        "kind: service_counter\nx: " + "{a: " * 2000 + "1" + "}" * 2000,
        json.dumps({"kind": "service_counter"})[:-1] + ', "x": ' + "[" * 3000 + "]" * 3000 + "}",
    ],
)
def test_deep_nesting_is_refused_in_one_line(text):
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(text, "deep.yaml")
    message = str(err.value)
    assert message.startswith("deep.yaml: invalid YAML: nested more than")
    assert f"{MAX_DEPTH} levels deep at line" in message and "\n" not in message


@pytest.mark.parametrize(
    "path, value, where, message",
    [
        (
            ("targets", "mean_wait_min", "max"),
            float("nan"),
            "targets.mean_wait_min.max",
            "must be a finite number",
        ),
        (
            ("targets", "mean_wait_min", "max"),
            float("inf"),
            "targets.mean_wait_min.max",
            "must be a finite number",
        ),
        (("budget", "max"), float("nan"), "budget.max", "must be a finite number"),
        (("target_wait_min",), float("nan"), "target_wait_min", "must be a finite number"),
        (
            ("arrivals",),
            {"rate_per_hour": True},
            "arrivals.rate_per_hour",
            "must be a number, not true or false",
        ),
        (
            ("arrivals",),
            {"profile": [12, True, 22, 16, 10, 14, 19, 16, 9]},
            "arrivals.profile",
            "must be a number, not true or false",
        ),
        (
            ("counters", 0, "count"),
            True,
            "counters[0].count",
            "must be a number, not true or false",
        ),
        (
            ("service_types", 0, "service_min"),
            {"dist": "exponential", "mean": True},
            "service_types[0].service_min.mean",
            "must be a number, not true or false",
        ),
        (
            ("targets", "staff_hours", "weight"),
            False,
            "targets.staff_hours.weight",
            "must be a number, not true or false",
        ),
    ],
)
def test_non_finite_numbers_and_booleans_are_refused_naming_the_field(path, value, where, message):
    data = hall()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(ScenarioError) as err:
        load_scenario(copy.deepcopy(data))
    assert (err.value.path, err.value.message) == (where, message)


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "simulations", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_cli_says_it_in_one_line(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    done = _cli("validate", str(deep))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().count("\n") == 0 and "nested more than" in done.stderr
    text = builtin_scenarios()["quiet-weekday-hall"].read_text(encoding="utf-8")
    nan = tmp_path / "nan.yaml"
    nan.write_text(
        text.replace("mean_wait_min: {max: 15", "mean_wait_min: {max: .nan"), encoding="utf-8"
    )
    done = _cli("validate", str(nan))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "targets.mean_wait_min.max: must be a finite number" in done.stderr
    truthy = tmp_path / "true.yaml"
    truthy.write_text(text.replace("max_count: 5", "max_count: true"), encoding="utf-8")
    done = _cli("validate", str(truthy))
    assert done.returncode == 1
    assert "counters[0].max_count: must be a number, not true or false" in done.stderr
    done = _cli(
        "run",
        str(builtin_scenarios()["quiet-weekday-hall"]),
        "--set",
        "arrivals.rate_per_hour=.inf",
        "--replications",
        "1",
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "must be a finite number" in done.stderr or "must be" in done.stderr
