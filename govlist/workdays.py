"""Working days (工作日) by the real Chinese calendar: public holidays and 调休 working weekends.

The years the State Council has announced come from the `chinesecalendar` package (its own dated table, offline).
A project extends or corrects it year by year in its project file (`calendar:`), e.g. once the next year's
国务院办公厅 notice is out. A year neither knows is unknown: counting across it gives no number, never a guess.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import chinese_calendar


@dataclass(frozen=True, slots=True)
class Count:
    """Working days counted between two dates; `days` is None when `unknown` names years the calendar lacks."""

    days: int | None
    unknown: tuple[int, ...] = ()


def _library_years() -> frozenset[int]:
    return frozenset(d.year for d in chinese_calendar.holidays) | frozenset(d.year for d in chinese_calendar.workdays)


# chinese_calendar.is_workday's own test, read once: it computes the min and max of its whole table on every call
# (a run counting across twenty years asks it some 7,000 times: about a second)
_LIBRARY_HOLIDAYS = frozenset(chinese_calendar.holidays)
_LIBRARY_WORKDAYS = frozenset(chinese_calendar.workdays)
_LIBRARY_SPAN = (min(_LIBRARY_HOLIDAYS).year, max(_LIBRARY_HOLIDAYS).year) if _LIBRARY_HOLIDAYS else (1, 0)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days. `years` maps a year from the project file to its (holidays, working weekends)."""

    years: dict[int, tuple[frozenset[_dt.date], frozenset[_dt.date]]] = field(default_factory=dict)
    library_years: frozenset[int] = field(default_factory=_library_years)
    #: day → is_workday(day), filled as days are asked (a run asks about the same few hundred days again and again)
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def known_years(self) -> frozenset[int]:
        return self.library_years | frozenset(self.years)

    def knows(self, year: int) -> bool:
        return year in self.years or year in self.library_years

    def is_workday(self, day: _dt.date) -> bool | None:
        """True on a working day, False on a rest day, None when the calendar does not know the year."""
        try:
            return self._memo[day]
        except KeyError:
            answer = self._memo[day] = self._is_workday(day)
            return answer

    def _is_workday(self, day: _dt.date) -> bool | None:
        own = self.years.get(day.year)
        if own is not None:
            holidays, workdays = own
            return day in workdays or (day.weekday() < 5 and day not in holidays)
        if day.year in self.library_years:
            if _LIBRARY_SPAN[0] <= day.year <= _LIBRARY_SPAN[1]:
                return day in _LIBRARY_WORKDAYS or (day.weekday() <= 4 and day not in _LIBRARY_HOLIDAYS)
            return chinese_calendar.is_workday(day)
        return None

    def working_days_after(self, start: _dt.date, end: _dt.date) -> Count:
        """Working days d with start < d <= end (negative when end is before start)."""
        if end < start:
            back = self.working_days_after(end, start)
            return Count(None if back.days is None else -back.days, back.unknown)
        first = start + _dt.timedelta(days=1)
        unknown = tuple(y for y in range(first.year, end.year + 1) if not self.knows(y))
        if unknown:
            return Count(None, unknown)
        return Count(self._through(end) - self._through(start))

    def working_day_after(self, start: _dt.date, n: int) -> _dt.date | None:
        """The n-th working day after `start` (n ≥ 1), so that working_days_after(start, it) is n; None when the
        count runs into a year the calendar does not know."""
        day = start
        while n > 0:
            day += _dt.timedelta(days=1)
            workday = self.is_workday(day)
            if workday is None:
                return None
            n -= workday
        return day

    def _through(self, day: _dt.date) -> int:
        """Working days from 1 January of `day`'s year through `day`, plus those of every earlier year counted from
        a fixed origin: differences of two such numbers count the working days between (years must be known)."""
        key = ("before", day.year)
        if key not in self._memo:
            self._memo[key] = sum(self._year(year)[-1] for year in range(min(self.known_years), day.year))
        return self._memo[key] + self._year(day.year)[day.toordinal() - _dt.date(day.year, 1, 1).toordinal()]

    def _year(self, year: int) -> list[int]:
        """Running counts of working days through each day of `year` (kept: a run asks about the same years)."""
        key = ("year", year)
        if key not in self._memo:
            running, count = [], 0
            day = _dt.date(year, 1, 1)
            while day.year == year:
                count += 1 if self.is_workday(day) else 0
                running.append(count)
                day += _dt.timedelta(days=1)
            self._memo[key] = running
        return self._memo[key]

    def describe_unknown(self, years: tuple[int, ...]) -> tuple[str, str]:
        """(zh, en) sentence: which years are unknown and how to add them."""
        known = sorted(self.known_years)
        span = f"{known[0]}–{known[-1]}" if known else "—"
        listed = "、".join(str(y) for y in years)
        return (
            f"工作日历不含 {listed} 年（已知 {span} 年），无法计算工作日；请在项目文件 calendar 中按国务院办公厅当年节假日安排补充该年的放假日期和调休上班日期",
            f"the working-day calendar does not know {', '.join(str(y) for y in years)} (it knows {span}), so working days cannot be counted; add that year's holidays and make-up working days to the project file's calendar, after the State Council's notice",
        )


def _dates(values: object) -> frozenset[_dt.date]:
    found = set()
    for value in values if isinstance(values, (list, tuple, set, frozenset)) else []:
        try:
            found.add(_dt.date.fromisoformat(str(value)))
        except ValueError:
            continue  # the project schema reports malformed dates
    return frozenset(found)


def build_calendar(section: object) -> WorkCalendar:
    """The calendar for a project file's `calendar:` section ({year: {holidays: [...], workdays: [...]}})."""
    years: dict[int, tuple[frozenset[_dt.date], frozenset[_dt.date]]] = {}
    for year, entry in (section or {}).items() if isinstance(section, dict) else ():
        try:
            number = int(year)
        except (TypeError, ValueError):
            continue
        entry = entry if isinstance(entry, dict) else {}
        years[number] = (_dates(entry.get("holidays")), _dates(entry.get("workdays")))
    return WorkCalendar(years)
