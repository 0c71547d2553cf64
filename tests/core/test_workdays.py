from datetime import date

from core.workdays import add_working_days, is_known_year, is_workday, working_days_between


def test_national_day_week_is_skipped():
    # 2020: National Day + Mid-Autumn holiday 1–8 October; Sunday 27 Sept and Saturday 10 Oct were working days
    assert not is_workday(date(2020, 10, 5))
    assert is_workday(date(2020, 10, 10))
    # published on Wednesday 30 Sept 2020: 5 working days are 9, 10, 12, 13, 14 October
    assert add_working_days(date(2020, 9, 30), 5) == date(2020, 10, 14)


def test_ordinary_week():
    # Monday 2 Nov 2020 + 5 working days -> Monday 9 Nov
    assert add_working_days(date(2020, 11, 2), 5) == date(2020, 11, 9)
    assert working_days_between(date(2020, 11, 2), date(2020, 11, 9)) == 5


def test_spring_festival_2021():
    # 11–17 Feb 2021 holiday; Sunday 7 Feb and Saturday 20 Feb were working days
    assert is_workday(date(2021, 2, 7))
    assert not is_workday(date(2021, 2, 15))
    assert add_working_days(date(2021, 2, 10), 1) == date(2021, 2, 18)


def test_unknown_future_year_falls_back_to_weekdays():
    assert not is_known_year(2099)
    assert is_workday(date(2099, 1, 5))  # a Monday
    assert not is_workday(date(2099, 1, 3))  # a Saturday


def test_the_calendar_tables_give_what_the_package_says_day_by_day():
    """``is_workday`` and ``working_days_between`` (read from the package's tables once, counted arithmetically)
    agree with asking the package about every day, over every year it knows and the unknown years around them."""
    import random
    from datetime import timedelta

    import chinese_calendar

    from core.workdays import KNOWN_YEARS

    def package_says(day):
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

    first, last = date(KNOWN_YEARS.start - 2, 1, 1), date(KNOWN_YEARS.stop + 1, 12, 31)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    said = [package_says(day) for day in days]
    assert [is_workday(day) for day in days] == said
    through = [0]
    for worked in said:
        through.append(through[-1] + worked)  # through[i + 1]: working days in days[0..i]
    rng = random.Random(3)
    for _ in range(3000):
        i, j = sorted(rng.randrange(len(days)) for _ in range(2))
        assert working_days_between(days[i], days[j]) == through[j + 1] - through[i + 1], (days[i], days[j])
    assert working_days_between(date(2021, 3, 1), date(2021, 2, 1)) == 0
