"""A workbook with a sheet per county (永城市, 夏邑县, 虞城县) repeating the city's tasks.

The city's office hands one ledger to every county and gets the sheets back filled in. Each
task is still one task: DESIGN.md keeps progress per task × unit, so the counties are the
task's units (the sheet names them where no unit column does) and each county's own
deadline and progress stay beside its name where the sheets differ.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Final

from bot.extract import DONE, LATE, MOSTLY_DONE, NOT_STARTED, ONGOING
from bot.importer.cleaning import fold
from bot.importer.tasks import TaskDraft
from bot.plandata import Deadline, Measure, PlanTask, Progress

# a county-level place as a sheet is named after it, with a 台账/进展 word at most
_PLACE: Final = re.compile(
    r"(?![全各本])(?P<place>[\u4e00-\u9fff]{1,6}?(?:自治县|自治旗|林区|新区|市|县|区|旗|镇|乡|街道))"
    r"\s*(?:整改)?(?:台账|进展|进展情况|清单|情况)?"
)
_LEVEL: Final = re.compile(r"(?:市|县|区|旗)$")
_EVERY_COUNTY: Final = re.compile(r"各(?:县|区|市)(?!直)")
_UNIT_ROLES: Final = ("lead_units", "units", "supporting_units")


def place_of(sheet: str, above: list[list[str]] | None = None) -> str:
    """The county a sheet is of: its name (永城市, 夏邑县台账), or a short name (永城) that
    the title rows above its header complete (永城市生态环境问题整改台账)."""
    name = fold(sheet).strip()
    m = _PLACE.fullmatch(name)
    if m:
        return m.group("place")
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name):
        return ""
    for row in above or []:
        for cell in row:
            found = re.search(rf"{name}(?:市|县|区|旗)", fold(cell))
            if found:
                return found.group()
    return ""


def _key(draft: TaskDraft) -> tuple[str, str]:
    """A task is known across sheets by what it says, not by its number: a county that
    deleted a row it has nothing to do with numbers the rest anew. Rows of one problem that
    are tasks of their own differ by their headings (their measures)."""
    problem = "".join(draft.fields.values.get("problem", []))
    if not problem.strip():
        return draft.ref, re.sub(r"\s+", "", fold(draft.heading))
    return re.sub(r"\s+", "", fold(draft.heading)), re.sub(r"\s+", "", fold(problem))


def county_sheets(per_table: list[tuple[str, list[TaskDraft]]]) -> bool:
    """Whether the tables are sheets of places (``place_of``) that repeat one another's
    tasks (the same problem): at least half of every sheet's tasks are in another. One
    sheet not of a place (汇总, 全市) may stand beside them: the city's copy."""
    places = [place for place, _ in per_table]
    named = [p for p in places if p]
    if len(named) < 2 or len(places) - len(named) > 1 or len(set(named)) != len(named):
        return False
    keys = [{_key(d) for d in drafts} for _, drafts in per_table]
    for k, own in enumerate(keys):
        others = set().union(*(each for j, each in enumerate(keys) if j != k))
        if len(own & others) * 2 < len(own):
            return False
    return True


def mark_county(drafts: list[TaskDraft], sheet: str, place: str) -> None:
    """Each task of a county's sheet is that county's share: the county is its unit where no
    unit column names one, and a unit written the county's way (县住建局 in 夏邑县) is named
    in full, as the city's office must tell one county's bureau from another's. The city's
    own sheet keeps its units as written."""
    level = _LEVEL.search(place)
    for draft in drafts:
        draft.county = place
        if draft.category == sheet.strip():
            draft.category = ""
        if not place:
            continue
        values = draft.fields.values
        if not any("".join(values.get(role, [])).strip() for role in _UNIT_ROLES):
            values["units"] = [place]
            continue
        if level is None:
            continue
        own = re.compile(rf"(?:^|(?<=[、,，;；\s]))(?:本)?{level.group()}(?=[\u4e00-\u9fff])(?!级)")
        for role in _UNIT_ROLES:
            if role in values:
                values[role] = [own.sub(place, text) for text in values[role]]


def merge_counties(tasks: list[PlanTask], drafts: list[TaskDraft]) -> list[PlanTask]:
    """The county sheets' copies of one task as one task, in the order first seen."""
    groups: dict[tuple[str, str], list[tuple[str, PlanTask]]] = {}
    order: list[PlanTask | tuple[str, str]] = []
    for task, draft in zip(tasks, drafts, strict=True):
        if draft.county is None:
            order.append(task)
            continue
        key = _key(draft)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((draft.county, task))
    return [each if isinstance(each, PlanTask) else _merged(groups[each]) for each in order]


def _merged(copies: list[tuple[str, PlanTask]]) -> PlanTask:
    """The task once, with every copy's names; the counties' deadlines and progress where
    they have any, else the city's sheet's."""
    own = [(place, task) for place, task in copies if place] or list(copies)
    task = replace(copies[0][1])
    for role in ("leaders", "lead_units", "units", "supporting_units", "supervisors", "principals", "persons"):
        setattr(task, role, list(dict.fromkeys(name for _, each in copies for name in getattr(each, role))))
    if any(place for place, _ in copies):
        # 各县(市、区)人民政府 on the city's sheet are the counties its other sheets name one by one
        task.units = [name for name in task.units if not _EVERY_COUNTY.match(name)]
    texts = list(dict.fromkeys(m.text for _, each in copies for m in each.measures))
    task.measures = [Measure(k, text) for k, text in enumerate(texts, 1)]
    dated = [(place, each) for place, each in own if each.deadline.text]
    task.deadline = _deadline(dated or [(p, t) for p, t in copies if not p] or own)
    said = [(place, each) for place, each in own if each.progress is not None]
    task.progress = _progress(own) if said else _progress([(p, t) for p, t in copies if not p])
    return task


def _deadline(copies: list[tuple[str, PlanTask]]) -> Deadline:
    """One deadline where the counties were given the same; otherwise each date is a
    milestone named after the counties it is theirs (永城市、夏邑县), and the text says whose
    is which."""
    alike: dict[str, list[tuple[str, Deadline]]] = {}
    for county, each in copies:
        alike.setdefault(repr(each.deadline), []).append((county, each.deadline))
    if len(alike) == 1:
        return copies[0][1].deadline
    named = [("、".join(county for county, _ in group), group[0][1]) for group in alike.values()]
    milestones = [
        replace(m, text=f"{counties}：{m.text}" if m.text else counties) for counties, each in named for m in each.milestones
    ]
    return Deadline(
        text="；".join(f"{counties}：{each.text}" for counties, each in named if each.text),
        immediate=any(each.immediate for _, each in named),
        ongoing=any(each.ongoing for _, each in named),
        milestones=sorted(milestones, key=lambda m: m.due or date.max),
    )


def _progress(copies: list[tuple[str, PlanTask]]) -> Progress | None:
    """Each county's progress beside its name; the task is done when every county's is, and
    otherwise as far as the least advanced county (one that says nothing has not begun)."""
    said = [(county, each.progress) for county, each in copies if each.progress is not None]
    if not said:
        return None
    if len(copies) == 1 or not all(county for county, _ in copies):
        return said[0][1]
    text = "；".join(f"{county}：{p.text.rstrip('。；;')}" for county, p in said)
    statuses = [each.progress.status if each.progress is not None else None for _, each in copies]
    if all(s == DONE for s in statuses):
        return Progress(text=text, status=DONE, percent=100)
    if LATE in statuses:
        status: str | None = LATE
    elif NOT_STARTED in statuses and set(statuses) <= {NOT_STARTED, None}:
        status = NOT_STARTED
    elif set(statuses) <= {DONE, MOSTLY_DONE}:
        status = MOSTLY_DONE
    elif set(statuses) == {None}:
        status = None
    else:
        status = ONGOING  # some county is under way, or has begun while another has not
    return Progress(text=text, status=status, percent=None)
