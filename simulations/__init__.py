"""SimPy practice engine: service-counter (营业厅) and repair-dispatch (抢修调度) scenarios.

Public API::

    from simulations import load_scenario, run
    sc = load_scenario("simulations/scenarios/mmc_example.yaml")
    result = run(sc, decisions={"counters_open": {"general": 5}}, seed=1, replications=20)
    result.to_dict()  # {"scenario", "kind", "replications", "kpis": {...}, "score", ...}

This package never imports the web application.
"""

from .decisions import decision_specs, validate_decisions
from .errors import DecisionError, InvariantError, ScenarioError, SimulationError
from .kpis import kpi_info
from .plans import maximum_plan, reference_plan, starved_plan
from .result import KPI, Result
from .scenario import (
    DispatchScenario,
    ServiceCounterScenario,
    builtin_scenarios,
    load_scenario,
    load_scenario_text,
)
from .session import Session, compare, run

__all__ = [
    "KPI",
    "DecisionError",
    "DispatchScenario",
    "InvariantError",
    "Result",
    "ScenarioError",
    "ServiceCounterScenario",
    "Session",
    "SimulationError",
    "builtin_scenarios",
    "compare",
    "decision_specs",
    "kpi_info",
    "load_scenario",
    "load_scenario_text",
    "maximum_plan",
    "reference_plan",
    "run",
    "starved_plan",
    "validate_decisions",
]
