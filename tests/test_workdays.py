"""Working days by the real calendar: the State Council's holiday arrangements with their 调休 working weekends."""

import datetime as dt

import pytest

from govlist.project import build_project
from govlist.workdays import WorkCalendar, build_calendar

D = dt.date
CAL = WorkCalendar()


def test_plain_weeks_count_monday_to_friday():
    monday = D(2025, 3, 3)
    assert CAL.working_days_after(monday, monday).days == 0
    assert CAL.working_days_after(monday, D(2025, 3, 7)).days == 4  # Tue..Fri
    assert CAL.working_days_after(monday, D(2025, 3, 9)).days == 4  # the weekend adds nothing
    assert CAL.working_days_after(D(2025, 3, 8), D(2025, 3, 10)).days == 1  # Saturday to Monday
    assert CAL.working_days_after(D(2025, 3, 24), monday).days == -15


@pytest.mark.parametrize(
    "start, end, real, monday_to_friday",
    [
        # 2025 春节: 1月28日至2月4日放假调休，1月26日（周日）、2月8日（周六）上班 (国办发明电〔2024〕12号)
        (D(2025, 1, 24), D(2025, 2, 10), 7, 11),
        # 2025 国庆节、中秋节: 10月1日至8日放假调休，9月28日（周日）、10月11日（周六）上班
        (D(2025, 9, 22), D(2025, 10, 17), 15, 19),
        (D(2025, 9, 22), D(2025, 10, 20), 16, 20),
        # 2026 春节: 2月15日至23日放假调休，2月14日（周六）、2月28日（周六）上班
        (D(2026, 2, 13), D(2026, 3, 2), 7, 11),
        # 2026 中秋节 9月25日至27日，国庆节 10月1日至7日放假调休，9月20日（周日）、10月10日（周六）上班
        (D(2026, 9, 18), D(2026, 10, 12), 12, 16),
    ],
)
def test_holidays_and_make_up_weekends(start, end, real, monday_to_friday):
    assert CAL.working_days_after(start, end).days == real
    weekdays = sum(1 for n in range(1, (end - start).days + 1) if (start + dt.timedelta(days=n)).weekday() < 5)
    assert weekdays == monday_to_friday  # what the old Monday-to-Friday count said


def test_make_up_working_weekend_and_weekday_holiday():
    assert CAL.is_workday(D(2026, 2, 14)) is True  # Saturday, 调休上班
    assert CAL.is_workday(D(2026, 9, 20)) is True  # Sunday, 调休上班
    assert CAL.is_workday(D(2026, 2, 16)) is False  # Monday within the Spring Festival
    assert CAL.is_workday(D(2025, 10, 8)) is False  # Wednesday, 国庆中秋 8 天
    assert CAL.is_workday(D(2025, 10, 11)) is True


def test_unknown_year_is_never_guessed():
    assert CAL.is_workday(D(2099, 3, 2)) is None
    count = CAL.working_days_after(D(2026, 12, 21), D(2027, 1, 8))
    assert count.days is None and count.unknown == (2027,)
    zh, en = CAL.describe_unknown(count.unknown)
    assert "2027" in zh and "calendar" in zh and "2027" in en
    # counting up to 31 December needs no next year
    assert CAL.working_days_after(D(2026, 12, 28), D(2026, 12, 31)).days == 3


def test_project_file_adds_a_year():
    calendar = build_calendar({"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-01-09"]}})
    assert 2027 in calendar.known_years
    assert calendar.is_workday(D(2027, 1, 1)) is False  # Friday, holiday
    assert calendar.is_workday(D(2027, 1, 9)) is True  # Saturday, working
    assert calendar.working_days_after(D(2026, 12, 31), D(2027, 1, 11)).days == 7  # 4..8, 9, 11
    project = build_project({"calendar": {"2027": {"holidays": [], "workdays": []}}}, None)
    assert project.calendar.knows(2027)


def test_project_year_replaces_the_library_year():
    calendar = build_calendar({"2026": {"holidays": [], "workdays": []}})  # a district that ignores the arrangement
    assert calendar.is_workday(D(2026, 2, 16)) is True


def test_counting_by_running_totals_agrees_with_counting_day_by_day():
    import datetime as dt
    import random

    from govlist.workdays import build_calendar

    calendar = build_calendar(None)
    years = sorted(calendar.known_years)
    rng = random.Random(7)
    for _ in range(300):
        start = dt.date(years[0], 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * (years[-1] - years[0])))
        end = start + dt.timedelta(days=rng.randrange(-40, 400))
        if end.year > years[-1]:
            continue
        low, high = min(start, end), max(start, end)
        naive = sum(1 for n in range(1, (high - low).days + 1) if calendar.is_workday(low + dt.timedelta(days=n)))
        assert calendar.working_days_after(start, end).days == (naive if end >= start else -naive)


def test_the_nth_working_day_after_a_date():
    """What the benchmark generator uses to date a decision inside the rules' working-day limits."""
    calendar = WorkCalendar()
    start = dt.date(2024, 9, 27)  # the Friday before National Day; Sunday 29 September was a 调休 working day
    assert calendar.working_day_after(start, 1) == dt.date(2024, 9, 29)
    assert calendar.working_day_after(start, 2) == dt.date(2024, 9, 30)
    assert calendar.working_day_after(start, 3) == dt.date(2024, 10, 8)
    for n in range(1, 16):
        day = calendar.working_day_after(start, n)
        assert day is not None and calendar.is_workday(day) and calendar.working_days_after(start, day).days == n
    assert calendar.working_day_after(dt.date(2099, 12, 30), 5) is None


def test_the_library_years_read_as_chinese_calendar_reads_them():
    import chinese_calendar

    calendar = WorkCalendar()
    day = dt.date(min(calendar.library_years), 1, 1)
    last = dt.date(max(calendar.library_years), 12, 31)
    while day <= last:
        assert calendar._is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
