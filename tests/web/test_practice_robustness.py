"""Bad numbers and deep nesting are refused naming the field in the studio's variant form
and in course-package import, as they are on the command line."""

from __future__ import annotations

import pytest
import yaml

from lms.catalog.package import PackageError, load_package
from lms.practice.scenarios import import_builtins
from tests.factories import write_package
from tests.web.test_practice import _post, _variant_data

HALL = "quiet-weekday-hall"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_variant_form_refuses_non_finite_targets_next_to_the_field(client, login_as, db,
                                                                   value):
    import_builtins()
    login_as("trainer", locale="en")
    path = f"/author/practice/{HALL}/variant"
    form_html = client.get(path).get_data(as_text=True)
    data = _variant_data(form_html, code="hall-nan", go="preview",
                         **{"t-mean_wait_min-goal": value})
    resp = _post(client, path, data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422, html[:500]
    assert "Traceback" not in html
    field = html[html.index('name="t-mean_wait_min-goal"'):]
    assert "targets.mean_wait_min.max: must be a finite number" in field[:1500]


def _problems(folder) -> list[str]:
    with pytest.raises(PackageError) as exc:
        load_package(folder)
    return [str(p) for p in exc.value.problems]


def _manifest(folder, fn):
    path = folder / "course.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_package_import_refuses_nan_and_booleans_naming_the_field(tmp_path):
    folder = write_package(tmp_path)

    def practice(value):
        def fn(data):
            data["practice"] = [{"scenario": HALL, "title": {"zh": "演练", "en": "Drill"},
                                 "pass_score": value}]
        return fn

    _manifest(folder, practice(float("nan")))
    problems = _problems(folder)
    assert any("practice.0.pass_score" in p and "finite number" in p for p in problems), problems
    _manifest(folder, practice(True))
    problems = _problems(folder)
    assert any("practice.0.pass_score" in p and "not true or false" in p for p in problems), \
        problems
    _manifest(folder, lambda d: d.update(estimated_minutes=True))
    assert any("estimated_minutes" in p and "not true or false" in p
               for p in _problems(folder))


def test_package_import_refuses_deep_nesting_in_one_line(tmp_path):
    folder = write_package(tmp_path)
    text = (folder / "course.yaml").read_text(encoding="utf-8")
    (folder / "course.yaml").write_text(text + "deep: " + "[" * 3000 + "]" * 3000 + "\n",
                                        encoding="utf-8")
    [problem] = _problems(folder)
    assert "course.yaml" in problem and "nested more than" in problem and "\n" not in problem
