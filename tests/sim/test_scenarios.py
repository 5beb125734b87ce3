"""Scenario files: the built-in set, clear validation errors, and input bounds."""

import pytest
import yaml

from simulations import DecisionError, ScenarioError, builtin_scenarios, load_scenario, run
from simulations.scenario import MAX_REPLICATIONS

REQUIRED = {
    "quiet-weekday-hall",
    "month-end-payment-peak",
    "after-online-campaign",
    "normal-dispatch-day",
    "typhoon-surge",
    "mixed-night-shift",
}


def hall():
    return {
        "kind": "service_counter",
        "id": "hall",
        "horizon_min": 600,
        "arrivals": {"rate_per_hour": 40},
        "service_types": [
            {"id": "payment", "share": 1.0, "service_min": {"dist": "exponential", "mean": 5}}
        ],
        "counters": [{"id": "general", "count": 4, "serves": ["payment"]}],
        "target_wait_min": 10,
    }


def dispatch():
    return {
        "kind": "dispatch",
        "id": "dispatch",
        "horizon_min": 1440,
        "zones": [
            {
                "id": "urban",
                "rate_per_hour": 1,
                "travel_min": {"dist": "fixed", "value": 20},
                "repair_min": {"dist": "exponential", "mean": 60},
            },
            {
                "id": "rural",
                "rate_per_hour": 1,
                "travel_min": {"dist": "fixed", "value": 40},
                "repair_min": {"dist": "exponential", "mean": 60},
            },
        ],
        "extra_travel_min": {"urban": {"rural": 20}},
        "crews": [{"id": "crew", "count": 3, "base": "urban"}],
    }


def test_builtin_scenarios_cover_the_issue_and_are_documented():
    found = builtin_scenarios()
    assert len(found) >= 6
    assert REQUIRED <= set(found)
    difficulties = []
    for sid, path in found.items():
        sc = load_scenario(path)
        assert sc.id == sid
        for text in (sc.name, sc.description):
            assert text is not None and text.zh.strip() and text.en.strip()
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text.zh), "Chinese text"
        comments = [
            line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")
        ]
        assert any("assum" in line.lower() for line in comments), (
            f"{path.name}: say what is assumed"
        )
        difficulties.append((sc.kind, sc.difficulty))
    for kind in ("service_counter", "dispatch"):
        levels = sorted(d for k, d in difficulties if k == kind)
        assert len(set(levels)) >= 2 and levels[-1] > levels[0], f"{kind}: graded difficulty"


@pytest.mark.parametrize("sid", sorted(REQUIRED | {"mmc-example"}))
def test_builtin_scenarios_run_with_their_defaults(sid):
    result = run(builtin_scenarios()[sid], seed=1, replications=2)  # invariants are checked
    assert 0 <= result.score <= 100
    assert result.score_breakdown


def test_month_end_peak_is_about_a_thousand_customers():
    result = run(builtin_scenarios()["month-end-payment-peak"], seed=1, replications=3)
    assert 850 <= result.kpis["arrivals"].mean <= 1150


def test_error_names_file_field_and_reason(tmp_path):
    data = hall()
    data["arrivals"]["rate_per_hour"] = 0
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(err.value) == f"{path}: arrivals.rate_per_hour: must be > 0"
    assert err.value.path == "arrivals.rate_per_hour"
    assert err.value.message == "must be > 0"


def _set(data, path, value):
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value


DELETE = object()


@pytest.mark.parametrize(
    "path, value, where, message",
    [
        (("arrivals", "rate_per_hour"), -3, "arrivals.rate_per_hour", "must be > 0"),
        (("arrivals", "rate_per_hour"), "many", "arrivals.rate_per_hour", "must be a number"),
        (
            ("arrivals", "rate_per_hour"),
            DELETE,
            "arrivals",
            "give exactly one of rate_per_hour or profile",
        ),
        (
            ("arrivals", "rate_per_hr"),
            3,
            "arrivals.rate_per_hr",
            "unknown field; did you mean rate_per_hour?",
        ),
        (
            ("arrivals", "profile"),
            [10, 20],
            "arrivals",
            "give exactly one of rate_per_hour or profile",
        ),
        (("kind",), DELETE, "kind", "is required (service_counter or dispatch)"),
        (("kind",), "bank", "kind", "must be one of service_counter, dispatch"),
        (("id",), "Hall 1", "id", "must start with a letter and use only a-z, 0-9, _ and -"),
        (("horizon_min",), 20000, "horizon_min", "must be <= 10080"),
        (("warmup_min",), 600, "warmup_min", "must be less than horizon_min"),
        (("target_wait_min",), DELETE, "target_wait_min", "is required"),
        (("counters", 0, "count"), 101, "counters[0].count", "must be <= 100"),
        (("counters", 0, "count"), 2.5, "counters[0].count", "must be a whole number"),
        (
            ("counters", 0, "serves"),
            ["paymnt"],
            "counters[0].serves[0]",
            "unknown service type paymnt (known: payment)",
        ),
        (
            ("counters", 0, "schedule"),
            [4, 4],
            "counters[0].schedule",
            "must have one value per opening hour (10 values), got 2",
        ),
        (
            ("service_types", 0, "share"),
            0.9,
            "service_types",
            "shares must add up to 1 (they add up to 0.9)",
        ),
        (
            ("service_types", 0, "service_min"),
            {"dist": "lognormal", "mean": 5},
            "service_types[0].service_min",
            "lognormal takes exactly: mean, sd",
        ),
        (
            ("service_types", 0, "service_min"),
            {"dist": "gamma", "mean": 5},
            "service_types[0].service_min.dist",
            "must be one of exponential, lognormal, triangular, uniform, fixed",
        ),
        (
            ("service_types", 0, "service_min"),
            {"dist": "triangular", "min": 5, "mode": 3, "max": 4},
            "service_types[0].service_min",
            "triangular needs min <= mode <= max and min < max",
        ),
        (
            ("service_types", 0, "service_min"),
            {"dist": "exponential", "mean": 5000},
            "service_types[0].service_min.mean",
            "must be <= 1440",
        ),
        (("patience_min",), {"dist": "exponential", "mean": 0}, "patience_min.mean", "must be > 0"),
        (
            ("targets",),
            {"waiting": {"max": 3}},
            "targets.waiting",
            "unknown KPI (known: mean_wait_min, p90_wait_min, mean_wait_all_min, "
            "p90_wait_all_min, prob_wait, service_level, "
            "abandon_rate, balk_rate, utilization, served, arrivals, unserved_at_close, "
            "mean_queue, staff_hours, satisfaction, kiosk_share, diverted_share)",
        ),
        (
            ("targets",),
            {"mean_wait_min": {"max": 3, "min": 1}},
            "targets.mean_wait_min",
            "give exactly one of min or max",
        ),
        (
            ("decisions",),
            {"allow": ["kiosk_share"]},
            "decisions.allow[0]",
            "kiosk_share needs kiosks in the scenario",
        ),
        (
            ("decisions",),
            {"allow": ["crews_on_shift"]},
            "decisions.allow[0]",
            "unknown decision crews_on_shift "
            "(known: counters_open, counter_serves, kiosk_share, diversion_campaign)",
        ),
    ],
)
def test_service_counter_errors(path, value, where, message):
    data = hall()
    _set(data, path, value)
    with pytest.raises(ScenarioError) as err:
        load_scenario(data)
    assert (err.value.path, err.value.message) == (where, message)


@pytest.mark.parametrize(
    "path, value, where, message",
    [
        (
            ("zones", 1, "id"),
            "mountain",
            "zones[1].commitment_min",
            "is required for zone mountain (defaults exist only for urban, rural, remote)",
        ),
        (("crews", 0, "base"), "city", "crews[0].base", "unknown zone city (known: urban, rural)"),
        (
            ("extra_travel_min",),
            {},
            "extra_travel_min",
            "missing the extra travel time between urban and rural",
        ),
        (
            ("policy",),
            "random",
            "policy",
            "must be one of nearest, priority_first, zone_dedicated, manual",
        ),
        (
            ("crews", 0, "shift"),
            {"start_min": 600, "end_min": 300},
            "crews[0].shift.end_min",
            "must be after start_min",
        ),
        (
            ("storm",),
            {"start_min": 60, "end_min": 120, "zone_multiplier": {"moon": 3}},
            "storm.zone_multiplier.moon",
            "unknown zone (known: urban, rural)",
        ),
        (("zones", 0, "rate_per_hour"), 0, "zones[0].rate_per_hour", "must be > 0"),
        (
            ("decisions",),
            {"allow": ["surge_extra_crews"]},
            "decisions.allow[0]",
            "surge_extra_crews needs storm.standby in the scenario",
        ),
    ],
)
def test_dispatch_errors(path, value, where, message):
    data = dispatch()
    _set(data, path, value)
    with pytest.raises(ScenarioError) as err:
        load_scenario(data)
    assert (err.value.path, err.value.message) == (where, message)


def test_expected_work_per_replication_is_bounded():
    data = hall()
    data["horizon_min"] = 10080
    data["arrivals"]["rate_per_hour"] = 2500
    with pytest.raises(ScenarioError) as err:
        load_scenario(data)
    assert err.value.path == "arrivals"
    assert (
        err.value.message
        == "about 420000 arrivals per run; at most 200000 (lower the rate or the horizon)"
    )
    storm = dispatch()
    storm["storm"] = {"start_min": 0, "end_min": 1440, "multiplier": 50}
    storm["horizon_min"] = 10080
    storm["zones"][0]["rate_per_hour"] = 1000
    with pytest.raises(ScenarioError, match="at most 200000"):
        load_scenario(storm)


def test_dispatch_defaults_commitments():
    sc = load_scenario(dispatch())
    assert [z.commitment for z in sc.zones] == [45, 90]


def test_yaml_and_file_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: service_counter\narrivals: {rate_per_hour: 40\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.yaml: invalid YAML at line 3"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="missing.yaml: file not found"):
        load_scenario(tmp_path / "missing.yaml")
    listy = tmp_path / "list.yaml"
    listy.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="must be a mapping of fields"):
        load_scenario(listy)
    huge = tmp_path / "huge.yaml"
    huge.write_text("# " + "x" * 1_100_000, encoding="utf-8")
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario(huge)


def test_run_bounds_replications_seed_and_total_work():
    with pytest.raises(DecisionError) as err:
        run(hall(), replications=0)
    assert (err.value.path, err.value.message) == (
        "replications",
        f"must be between 1 and {MAX_REPLICATIONS}",
    )
    with pytest.raises(DecisionError, match="must be between 1 and"):
        run(hall(), replications=MAX_REPLICATIONS + 1)
    with pytest.raises(DecisionError, match="seed"):
        run(hall(), seed=-1)
    big = hall()
    big["horizon_min"] = 10080
    big["arrivals"]["rate_per_hour"] = 1000  # 168,000 expected arrivals per replication
    with pytest.raises(
        DecisionError, match=r"at most 2000000 per run \(use at most 11 replications\)"
    ):
        run(big, replications=12)


def test_scenario_from_yaml_text():
    from simulations import load_scenario_text

    text = yaml.safe_dump(hall())
    assert load_scenario_text(text).id == "hall"
    with pytest.raises(ScenarioError) as err:
        load_scenario_text(text.replace("rate_per_hour: 40", "rate_per_hour: -1"), "form")
    assert str(err.value) == "form: arrivals.rate_per_hour: must be > 0"
    with pytest.raises(ScenarioError, match="invalid YAML at line 1"):
        load_scenario_text("kind: [", "form")


def test_heavy_tailed_times_are_bounded():
    data = hall()
    data["service_types"][0]["service_min"] = {"dist": "lognormal", "mean": 2, "sd": 30}
    with pytest.raises(ScenarioError) as err:
        load_scenario(data)
    assert err.value.message == "lognormal needs sd <= 5 x mean"


def test_engine_does_not_import_the_web_application():
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "simulations"
    for path in package.glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1:
                assert words[1].split(".")[0] not in ("lms", "flask", "numpy"), (
                    f"{path.name}: {line}"
                )
