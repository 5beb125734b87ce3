"""Command line: ``python -m simulations run|validate|decisions|list``.

Exit status: 0 success, 1 invalid scenario or decisions (one line on stderr naming the file
and field), 2 bad command-line usage, 3 an internal engine error (an invariant broke).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

import yaml

from .catalogue import KIND_DECISIONS
from .decisions import decision_specs
from .errors import InvariantError, SimulationError
from .scenario import builtin_scenarios, parse_scenario, read_yaml
from .session import run

DEFAULT_REPLICATIONS = 10


class UsageError(Exception):
    pass


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SimulationError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except InvariantError as exc:
        print(f"internal error (please report): {exc}", file=sys.stderr)
        return 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulations", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="run a scenario and print its KPIs")
    p.add_argument("file", metavar="FILE.yaml")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument(
        "--replications",
        type=int,
        default=DEFAULT_REPLICATIONS,
        help=f"independent replications (default {DEFAULT_REPLICATIONS})",
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="set a decision (counters_open.general=5) or override a scenario field "
        "(arrivals.rate_per_hour=50, counters.general.count=3); VALUE is YAML",
    )
    p.add_argument("--decisions", metavar="FILE.yaml", help="decisions mapping from a YAML file")
    p.add_argument(
        "--records", action="store_true", help="include per-customer/ticket records (JSON only)"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("validate", help="check scenario files")
    p.add_argument("files", nargs="+", metavar="FILE.yaml")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("decisions", help="print the decisions a scenario allows, as JSON")
    p.add_argument("file", metavar="FILE.yaml")
    p.set_defaults(func=_cmd_decisions)

    p = sub.add_parser("list", help="list the built-in scenarios")
    p.set_defaults(func=_cmd_list)
    return parser


def _cmd_validate(args) -> int:
    status = 0
    for name in args.files:
        try:
            sc = parse_scenario(read_yaml(name), source=name)
        except SimulationError as exc:
            print(str(exc), file=sys.stderr)
            status = 1
            continue
        print(f"{name}: ok ({sc.kind}, {sc.id})")
    return status


def _cmd_decisions(args) -> int:
    sc = parse_scenario(read_yaml(args.file), source=args.file)
    print(json.dumps(decision_specs(sc), indent=2))
    return 0


def _cmd_list(args) -> int:
    for sid, path in builtin_scenarios().items():
        sc = parse_scenario(read_yaml(path), source=str(path))
        print(f"{sid:32} {sc.kind:16} difficulty {sc.difficulty or '-'}  {sc.title.en}")
    return 0


def _cmd_run(args) -> int:
    data = read_yaml(args.file)
    decisions: dict[str, Any] = {}
    if args.decisions:
        loaded = read_yaml(args.decisions)
        if not isinstance(loaded, dict):
            raise UsageError(f"{args.decisions}: must be a mapping of decisions")
        decisions.update(loaded)
    kind = data.get("kind") if isinstance(data, dict) else None
    names = KIND_DECISIONS.get(kind, ()) if isinstance(kind, str) else ()  # not a list: unhashable
    for item in args.set:
        path, value = _split_set(item)
        target = decisions if path[0] in names else data
        if target is data and not isinstance(data, dict):
            break  # parse_scenario reports the real problem
        _assign(target, path, value, item)
    sc = parse_scenario(data, source=args.file)
    result = run(
        sc, decisions or None, seed=args.seed, replications=args.replications, records=args.records
    )
    if args.json:
        print(json.dumps(result.to_dict(), allow_nan=False))
    else:
        print(_table(result))
    return 0


def _split_set(item: str) -> tuple[list[str | int], Any]:
    if "=" not in item:
        raise UsageError(f"--set {item}: expected PATH=VALUE")
    path, raw = item.split("=", 1)
    parts: list[str | int] = []
    for token in re.findall(r"[^.\[\]]+", path):
        parts.append(int(token) if token.isdigit() else token)
    if not parts:
        raise UsageError(f"--set {item}: empty path")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        raise UsageError(f"--set {item}: value is not valid YAML") from None
    return parts, value


def _assign(root: Any, path: list, value: Any, item: str) -> None:
    node = root
    for i, key in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, list):
            if isinstance(key, str):  # a list item by id, e.g. counters.general.count
                match = [x for x in node if isinstance(x, dict) and x.get("id") == key]
                if not match:
                    raise UsageError(f"--set {item}: no item with id {key}")
                key = node.index(match[0])
            if not 0 <= key < len(node):
                raise UsageError(f"--set {item}: index {key} out of range")
        elif not isinstance(node, dict):
            raise UsageError(f"--set {item}: cannot set a field inside a {type(node).__name__}")
        if last:
            node[key] = value
            return
        if isinstance(node, dict) and key not in node:
            node[key] = {}
        node = node[key]


def _fmt(x: float | None) -> str:
    if x is None:
        return "-"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3f}"


def _table(result) -> str:
    sc = result.scenario
    targets = {b["kpi"]: b for b in result.score_breakdown}
    lines = [
        f"{sc.title.zh} / {sc.title.en}  ({sc.id}, {sc.kind})",
        f"seed {result.seed}, replications {result.replications}",
        "",
        f"{'KPI':28} {'mean':>9}  {'95% CI':>21}  target",
    ]
    for name, k in result.kpis.items():
        ci = f"[{_fmt(k.ci95[0])}, {_fmt(k.ci95[1])}]" if k.ci95 else "-"
        goal = ""
        if name in targets:
            b = targets[name]
            op, val = next(iter(b["target"].items()))
            verdict = {True: "met", False: "missed", None: "no data"}[b["met"]]
            goal = f"{'<=' if op == 'max' else '>='} {_fmt(val)}  {verdict}"
        lines.append(f"{name:28} {_fmt(k.mean):>9}  {ci:>21}  {goal}")
    lines += ["", f"score: {result.score:.1f} / 100"]
    if result.rejected:
        lines.append(f"rejected decisions: {len(result.rejected)}")
    return "\n".join(lines)
