"""The command line of the question-bank checks: `flask lms check-banks [FOLDER…]` or
`python -m lms.assessment.check_cli PATH [PATH…]` (a course folder or a folder of them).
One line per finding, a summary line; exit 0 when clean, 1 on findings, 2 when unreadable."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from lms.assessment.bank_checks import Finding
from lms.assessment.course_checks import CourseReadError, check_course_folder, course_folders


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m lms.assessment.check_cli PATH [PATH...]")
        return 2
    results: list[tuple[Path, list[Finding]]] = []
    try:
        folders = [f for arg in args for f in course_folders(arg)]
        for folder in folders:
            results.append((folder, check_course_folder(folder)))
    except CourseReadError as e:
        print(f"ERROR unreadable {e}")
        return 2
    errors = warnings = 0
    for folder, findings in results:
        for f in findings:
            print(f"{f.level.upper()} {f.code} {folder.name} {f.where}: {f.message}")
            errors += f.level == "error"
            warnings += f.level == "warning"
    print(f"{len(results)} course folder(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors or warnings else 0


if __name__ == "__main__":
    sys.exit(main())
