"""The built-in curriculum passes the question-bank checks with no finding, and the CLI
says so (the same check a trainer's package gets)."""

from __future__ import annotations

from pathlib import Path

from lms.assessment.course_checks import check_course_folder
from lms.studio import packages as course_packages

ROOT = Path(__file__).resolve().parents[2]


def test_every_built_in_course_passes_the_bank_checks():
    folders = course_packages.find_packages(ROOT / "courses")
    assert len(folders) >= 17
    findings = {f.name: [f"{x.level} {x.code} {x.where}: {x.message}"
                         for x in check_course_folder(f)] for f in folders}
    assert {k: v for k, v in findings.items() if v} == {}


def test_check_banks_cli_reports_clean_courses_and_fails_on_a_guessable_bank(runner, tmp_path):
    ok = runner.invoke(args=["lms", "check-banks", str(ROOT / "courses")])
    assert ok.exit_code == 0, ok.output
    assert "0 error(s), 0 warning(s)" in ok.output
    from tests.factories import write_package

    write_package(tmp_path, "BAD-1")
    bad = runner.invoke(args=["lms", "check-banks", str(tmp_path)])
    assert bad.exit_code == 1 and "bank-too-small" in bad.output


def test_roles_with_fewest_courses_now_have_four_each():
    import yaml

    counts: dict[str, int] = {}
    for folder in course_packages.find_packages(ROOT / "courses"):
        spec = yaml.safe_load((folder / "course.yaml").read_text(encoding="utf-8"))
        for role in spec.get("audience", []):
            counts[role] = counts.get(role, 0) + 1
    assert counts["meter_technician"] >= 4 and counts["dispatcher"] >= 4, counts
