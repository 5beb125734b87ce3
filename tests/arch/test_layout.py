"""The layout the architecture promises (docs/ARCHITECTURE.md), checked from the source."""

from __future__ import annotations

from lms.features import FEATURES
from tests.arch.imports import ROOT, cycles, graph, package_graph, package_of


def test_no_import_cycles_between_modules_or_packages():
    assert cycles(graph("lms")) == []
    assert cycles(package_graph("lms")) == []
    assert cycles(graph("simulations")) == []


def test_simulations_never_import_lms():
    for module, deps in graph("simulations").items():
        imported = {d for d in deps if d.startswith("lms")}
        assert not imported, f"{module} imports {imported}"
    for path in (ROOT / "simulations").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import lms" not in text and "from lms" not in text, path


def test_core_imports_no_feature():
    features = {f"lms.{name}" for name in FEATURES}
    for module, deps in graph("lms").items():
        if module.startswith("lms.core"):
            bad = {package_of(d) for d in deps} & features
            assert not bad, f"{module} imports {bad}"


def test_features_import_only_features_listed_before_them():
    order = {f"lms.{name}": i for i, name in enumerate(FEATURES)}
    for module, deps in graph("lms").items():
        mine = package_of(module)
        if mine not in order:
            continue
        for dep in deps:
            theirs = package_of(dep)
            if theirs in order:
                assert order[theirs] <= order[mine], (
                    f"{module} imports {dep}: {theirs} comes after {mine} in lms/features.py")


def test_role_blueprints_attach_every_view_module():
    from lms.blueprints import VIEW_MODULES

    declared = set()
    for path in (ROOT / "lms").rglob("*.py"):
        if "\nbp = Routes(" in path.read_text(encoding="utf-8"):
            rel = path.relative_to(ROOT).with_suffix("")
            declared.add(".".join(rel.parts))
    assert declared == set(VIEW_MODULES)
