"""The learning history of each person: enrolments, lesson progress, quiz attempts with every
answer, notifications (awards and simulation runs come from their own modules), written a
chunk of people at a time."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from lms.assessment.models import Attempt, Response
from lms.catalog.learning_models import Enrollment, LessonProgress
from lms.certification.models import Award, AwardEvent
from lms.core.db import new_public_id
from lms.extensions import db
from lms.notifications.models import Notification
from lms.seed.bench.catalogue import MANDATORY, Structure
from lms.seed.bench.database import insert_ids, insert_rows
from lms.seed.bench.plan import Person
from lms.seed.bench.state import BenchState


def _answer(q: dict[str, Any], right: bool, rng: random.Random) -> Any:
    """A stored answer to question `q` that is (or is not) correct."""
    kind, options, key = q["type"], q["options"], q["answer"]
    if kind == "single":
        good = [o["id"] for o in options if o.get("correct")]
        bad = [o["id"] for o in options if not o.get("correct")]
        return rng.choice(good if right or not bad else bad)
    if kind == "multiple":
        good = sorted(o["id"] for o in options if o.get("correct"))
        bad = [o["id"] for o in options if not o.get("correct")]
        if right:
            return good
        return sorted([*good, rng.choice(bad)]) if bad else good[:-1]
    if kind == "true_false":
        flag = bool(key.get("value"))
        return flag if right else not flag
    if kind == "numeric":
        value = float(key.get("value", 0))
        return value if right else value + 10 * (float(key.get("tolerance") or 0) + 1)
    if kind == "short_text":
        accept = key.get("accept") or ["?"]
        return accept[0] if right else "不清楚"
    return None


class HistorySteps(BenchState):
    """Steps that write each person's learning history."""

    def _history(self, start: int, stop: int) -> None:
        st = self._load_structure()
        rows: dict[str, list[dict]] = defaultdict(list)
        attempts: list[tuple[dict, list[dict]]] = []
        awards: list[tuple[dict, list[dict]]] = []
        for person in self.people[start:stop]:
            self._person_history(person, st, rows, attempts, awards)
        insert_rows(Enrollment, rows["enrollments"])
        insert_rows(LessonProgress, rows["progress"])
        ids = insert_ids(Attempt, [a for a, _r in attempts])
        responses = [{**r, "attempt_id": aid} for (_a, rs), aid in zip(attempts, ids,
                                                                        strict=True)
                     for r in rs]
        insert_rows(Response, responses)
        award_ids = insert_ids(Award, [a for a, _e in awards])
        insert_rows(AwardEvent, [{**e, "award_id": aid} for (_a, es), aid in zip(awards, award_ids,
                                                                               strict=True)
                                 for e in es])
        insert_rows(Notification, rows["notifications"])
        if self.practice and rows["runs"]:
            from lms.practice.models import SimulationRun

            insert_rows(SimulationRun, rows["runs"])
        db.session.commit()
        self.counts["enrollments"] += len(rows["enrollments"])
        self.counts["lesson progress"] += len(rows["progress"])
        self.counts["quiz attempts"] += len(attempts)
        self.counts["quiz responses"] += len(responses)
        self.counts["awards"] += len(awards)
        self.counts["notifications"] += len(rows["notifications"])
        self.counts["simulation runs"] += len(rows["runs"])

    def _at(self, base: datetime, rng: random.Random, lo_days: float, hi_days: float
            ) -> datetime:
        """A moment after `base` (never in the future): events of one story stay in order."""
        t = base + timedelta(days=rng.uniform(lo_days, hi_days))
        limit = self.now - timedelta(minutes=5)
        if t > limit:
            t = base + (max(limit, base) - base) * rng.uniform(0.2, 0.8) + timedelta(seconds=1)
        return t

    def _person_history(self, p: Person, st: Structure, rows: dict[str, list[dict]],
                        attempts: list, awards: list) -> None:
        rng = random.Random(self.seed * 1_000_003 + p.index)
        codes = [c for c in st.courses]
        path = list(st.paths.get(p.role, [])) if p.role else []
        plan_path = []
        if p.plan and p.plan["status"] == "active":
            plan_path = [c for c in st.paths.get(p.plan["to"], []) if c not in path]
        mandatory = [c for c in MANDATORY if c in st.courses]
        chosen: dict[str, str] = {}  # code → source
        for c in path + mandatory:
            chosen.setdefault(c, "assigned")
        for c in plan_path:
            chosen.setdefault(c, "rule")
        electives = [c for c in codes if c not in chosen]
        for c in rng.sample(electives, min(len(electives), rng.randint(4, 12))):
            chosen[c] = "self"
        forced: dict[str, str] = {}
        if p.profile == "named":  # the benchmark learners: known states on known courses
            forced = {"SV-401": "progress", "DT-102": "progress", "DT-103": "lessons_done",
                      "SEC-201": "done", "DT-101": "done", "BX-113": "done"}
            for c in forced:
                chosen.setdefault(c, "assigned")
        # The learning timeline starts at most ~32 months ago (or at hiring).
        origin = max(datetime.combine(p.hired, datetime.min.time(), UTC),
                     self.now - timedelta(days=960))
        span = max(1.0, (self.now - origin).days - 2.0)
        passes: dict[str, list[datetime]] = {}  # course code → passing attempt times
        scores: dict[str, list[tuple[datetime, float]]] = {}
        completed: dict[str, datetime] = {}
        run_no: dict[int, int] = defaultdict(int)  # scenario id → assessment attempts used
        for code, source in chosen.items():
            course = st.courses[code]
            lessons = course["lessons"]
            quiz = course["quiz"]
            if code in forced:
                state = forced[code]
            elif source == "rule":
                state = rng.choices(["done", "progress", "none"], [25, 45, 30])[0]
            elif source == "assigned":
                state = rng.choices(["done", "progress", "none"], [76, 16, 8])[0]
            else:
                state = rng.choices(["done", "progress", "none"], [50, 32, 18])[0]
            if state == "progress" and len(lessons) > 1 and rng.random() < 0.2:
                state = "lessons_done"
            drills = course.get("practice", [])
            if state == "done" and any(req and not self._sim(ref, mark, True)
                                       for ref, mark, req in drills):
                state = "lessons_done"  # no stored result passes: the course stays open
            if source != "rule":
                enrolled = origin + timedelta(days=rng.uniform(0, span * 0.9))
            else:
                assert p.plan is not None  # "rule" courses come from an active rotation plan
                enrolled = datetime.combine(p.plan["created"], datetime.min.time(), UTC)
            n_done = {"done": len(lessons), "lessons_done": len(lessons),
                      "progress": rng.randint(1, max(1, len(lessons) - 1)),
                      "none": 0}[state]
            if state == "progress" and code in forced:
                n_done = min(2, len(lessons) - 1)
            t = enrolled
            last_lesson = None
            for lid in lessons[:n_done]:
                t = self._at(t, rng, 0.02, 6)
                rows["progress"].append({"user_id": p.id, "lesson_id": lid,
                                         "course_id": course["id"], "completed_at": t})
                last_lesson = lid
            completed_at = None
            if quiz is not None and n_done == len(lessons) and state != "none":
                if state == "done":
                    fails = rng.choices([0, 1, 2], [65, 27, 8])[0]
                elif code in forced:
                    fails = 0
                else:
                    fails = rng.choices([0, 1, 2], [50, 35, 15])[0]
                for k in range(fails):
                    t = self._at(t, rng, 0.01, 5)
                    attempts.append(self._attempt(p, quiz, k + 1, t, False, rng))
                    scores.setdefault(code, []).append((t, attempts[-1][0]["score"]))
                if state == "done":
                    t = self._at(t, rng, 0.01, 5)
                    attempts.append(self._attempt(p, quiz, fails + 1, t, True, rng))
                    scores.setdefault(code, []).append((t, attempts[-1][0]["score"]))
                    passes[code] = [attempts[-1][0]["submitted_at"]]
                    completed_at = attempts[-1][0]["submitted_at"]
                    # Annual certifications: renewed with a fresh pass inside the window.
                    number = fails + 2
                    while (code in self._annual_courses(st) and number <= quiz["max"]
                           and rng.random() < 0.9):
                        renewal = passes[code][-1] + timedelta(days=rng.uniform(306, 360))
                        if renewal >= self.now - timedelta(hours=1):
                            break
                        attempts.append(self._attempt(p, quiz, number, renewal, True, rng))
                        passes[code].append(renewal)
                        scores[code].append((renewal, attempts[-1][0]["score"]))
                        number += 1
                elif not fails and rng.random() < 0.04 and code not in forced:
                    # An attempt left open (abandoned or in progress), with saved answers.
                    t = self._at(t, rng, 0.01, 3)
                    attempts.append(self._attempt(p, quiz, 1, t, None, rng))
            elif quiz is None and state == "done" and n_done == len(lessons):
                completed_at = t
            if drills and n_done == len(lessons):
                drilled = self._drills(p, drills, state == "done", t, rows, run_no, rng)
                if completed_at is not None and drilled is not None:
                    completed_at = max(completed_at, drilled)
            if completed_at is not None:
                completed[code] = completed_at
            due: date | None = None
            if source == "rule":
                assert p.plan is not None  # as above
                due = p.plan["start"] - timedelta(days=7)
            elif source == "assigned":
                due = ((enrolled + timedelta(days=rng.randint(30, 90))).date()
                       if completed_at or rng.random() < 0.5 else
                       self.today + timedelta(days=rng.randint(-40, 90)))
            rows["enrollments"].append({
                "user_id": p.id, "course_id": course["id"], "source": source,
                "assigned_by_id": (st.hr_id or None) if source != "self" else None,
                "due_date": due, "enrolled_at": enrolled, "completed_at": completed_at,
                "last_lesson_id": last_lesson})
            if source != "self" and enrolled > self.now - timedelta(days=365):
                rows["notifications"].append(self._note(
                    p, "assignment", f"新课程已分配：{code}", f"/learn/courses/{code}",
                    enrolled, rng))
        self._awards(p, st, completed, scores, awards, rows, rng)
        if self.practice and self.sim_templates:
            self._runs(p, rows, rng)
        if run_no and not self.practice:
            rows["runs"].clear()

    def _annual_courses(self, st: Structure) -> set[str]:
        if not hasattr(self, "_annual"):
            self._annual = {ref for c in st.certs if c["months"] and c["months"] <= 12
                            for kind, ref, _s in c["reqs"] if kind == "course"}
        return self._annual

    def _attempt(self, p: Person, quiz: dict, number: int, at: datetime,
                 passed: bool | None, rng: random.Random) -> tuple[dict, list[dict]]:
        """One attempt and its answers; the score follows from the answers."""
        drawn = rng.sample(quiz["pool"], quiz["count"])
        n = len(drawn)
        need = -(-quiz["pass"] * n // 100)  # answers right to pass
        if passed is None:
            right = set()
        elif passed:
            right = set(rng.sample(range(n), rng.randint(int(need), n)))
        else:
            right = set(rng.sample(range(n), rng.randint(max(0, n // 3), int(need) - 1)))
        layout, responses = [], []
        started = at - timedelta(minutes=rng.uniform(4, 18))
        answered = n if passed is not None else rng.randint(1, n - 1)
        for i, q in enumerate(drawn):
            ids = [o["id"] for o in q["options"]]
            rng.shuffle(ids)
            layout.append({"q": q["id"], "o": ids})
            if i >= answered:
                continue
            ok = i in right
            responses.append({"question_id": q["id"], "answer": _answer(q, ok, rng),
                              "saved_at": started + timedelta(minutes=(i + 1) * 1.5),
                              "correct": ok if passed is not None else None})
        submitted = None if passed is None else at
        score = round(100.0 * len(right) / n, 1) if passed is not None else None
        limit = quiz["limit"]
        return ({"public_id": new_public_id(), "quiz_id": quiz["id"], "user_id": p.id,
                 "number": number, "layout": layout, "started_at": started,
                 "deadline_at": started + timedelta(minutes=limit) if limit else None,
                 "submitted_at": submitted, "score": score,
                 "passed": None if passed is None else score >= quiz["pass"]}, responses)

    def _note(self, p: Person, kind: str, title: str, link: str, at: datetime,
              rng: random.Random) -> dict:
        read = rng.random() < 0.7
        return {"public_id": new_public_id(), "user_id": p.id, "kind": kind, "title": title,
                "body": "", "link": link, "created_at": at,
                "read_at": at + timedelta(hours=rng.uniform(1, 48)) if read else None}
