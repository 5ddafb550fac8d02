"""None forgotten, as tables: time limits, overdue follow-ups, duplicates."""

from datetime import date

import pytest

from investment.domain import (
    Light,
    delay_phrase,
    duplicate_groups,
    is_overdue,
    is_possible_duplicate,
    light,
    normalised_investor,
    promise_chain,
    start_delay_days,
    start_overdue_days,
)

LIMITS = {"docked": 30, "negotiating": 21, "intention": 14}
TODAY = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("stage", "last_touched", "expected"),
    [
        # 对接, 30 days: 31 May is 30 days ago (still green), 30 May 31 days (yellow);
        # 31 March is 91 days ago (red past 60), 1 May 60 days (yellow).
        ("docked", date(2026, 5, 31), Light.GREEN),
        ("docked", date(2026, 5, 30), Light.YELLOW),
        ("docked", date(2026, 5, 1), Light.YELLOW),
        ("docked", date(2026, 4, 30), Light.RED),
        # 洽谈, 21 days: 9 June is 21 days ago, 8 June 22; 18 May is 43 days ago (red past 42).
        ("negotiating", date(2026, 6, 9), Light.GREEN),
        ("negotiating", date(2026, 6, 8), Light.YELLOW),
        ("negotiating", date(2026, 5, 19), Light.YELLOW),
        ("negotiating", date(2026, 5, 18), Light.RED),
        # 意向, 14 days: 16 June is 14 days ago, 15 June 15; 1 June is 29 days ago (red past 28).
        ("intention", date(2026, 6, 16), Light.GREEN),
        ("intention", date(2026, 6, 15), Light.YELLOW),
        ("intention", date(2026, 6, 2), Light.YELLOW),
        ("intention", date(2026, 6, 1), Light.RED),
        # Signed, landed and dropped leads have no time limit.
        ("signed", date(2025, 1, 1), None),
        ("landed", date(2025, 1, 1), None),
        ("dropped", date(2025, 1, 1), None),
    ],
)
def test_a_leads_light_by_its_stage_and_the_days_without_follow_up(stage, last_touched, expected):
    assert light(stage, last_touched, TODAY, LIMITS) == expected


@pytest.mark.parametrize(
    ("next_on", "expected"),
    [
        (None, False),
        (date(2026, 6, 30), False),
        (date(2026, 6, 29), True),
        (date(2026, 7, 1), False),
    ],
)
def test_a_next_follow_up_is_overdue_from_the_day_after(next_on, expected):
    assert is_overdue(next_on, TODAY) is expected


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("河北某某建材集团有限公司", "河北某某建材"),
        ("河北某某建材（集团）股份有限公司", "河北某某建材"),
        ("  河北 某某建材 ", "河北某某建材"),
        ("ＡＢＣ科技有限公司", "abc科技"),
        ("", ""),
    ],
)
def test_an_investors_name_is_compared_without_its_company_words(name, normalised):
    assert normalised_investor(name) == normalised


def test_leads_whose_investors_match_are_grouped_and_a_blank_investor_matches_nothing():
    leads = [
        (1, "河北某某建材集团有限公司", ""),
        (2, "某光伏科技", ""),
        (3, "河北某某建材（集团）", ""),
        (4, "", ""),
        (5, "", ""),
        (6, "某光伏科技有限公司", ""),
    ]
    assert duplicate_groups(leads) == [[1, 3], [2, 6]]


CODE = "91130100MA0A1B2C31"
OTHER_CODE = "91130100MA0A1B2C44"


@pytest.mark.parametrize(
    ("one", "other", "expected"),
    [
        # The same normalised name, whatever the codes.
        (("河北某某建材集团有限公司", ""), ("河北某某建材（集团）", ""), True),
        (("河北某某建材集团有限公司", CODE), ("河北某某建材", OTHER_CODE), True),
        # Different names, the same code (typed in lower case or full width: the same).
        (("河北某某建材集团有限公司", CODE), ("石家庄某某新材料有限公司", CODE), True),
        (("某某建材", CODE), ("某某新材料", CODE.lower()), True),
        (("某某建材", CODE), ("某某新材料", "９１１３０１００ＭＡ０Ａ１Ｂ２Ｃ３１"), True),
        # Different in both.
        (("河北某某建材集团有限公司", CODE), ("石家庄某某新材料有限公司", OTHER_CODE), False),
        # A blank code matches no blank code; a blank name no blank name.
        (("某某建材", ""), ("某某新材料", ""), False),
        (("", ""), ("", ""), False),
        (("", CODE), ("", CODE), True),
    ],
)
def test_two_investors_are_possibly_the_same_by_name_or_by_credit_code(one, other, expected):
    assert is_possible_duplicate(*one, *other) is expected
    assert is_possible_duplicate(*other, *one) is expected


def test_a_lead_matching_any_lead_of_a_group_joins_it():
    # 3 shares 1's code and 2's name: the three are one group, named by the first.
    leads = [
        (1, "甲公司", CODE),
        (2, "乙公司", ""),
        (3, "乙有限公司", CODE),
        (4, "丙公司", OTHER_CODE),
        (5, "丁公司", ""),
    ]
    assert duplicate_groups(leads) == [[1, 2, 3]]


# ---------------------------------------------------------------- 履约


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        # signed 1 Mar, land 31 Mar (30 days), started 15 Apr (15), in production 1 Nov
        # (200), in the statistics 1 Dec (30), first tax month January: 31 Jan (61).
        (
            [date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 15), date(2026, 11, 1),
             date(2026, 12, 1), date(2027, 1, 31)],
            [None, 30, 15, 200, 30, 61],
        ),
        # a light-asset lead has no 摘牌: its start counts from the signing (1 Mar → 10 Mar).
        (
            [date(2026, 3, 1), None, date(2026, 3, 10), None, None, None],
            [None, None, 9, None, None, None],
        ),
        # not signed yet: nothing reached, nothing counted
        ([None] * 6, [None] * 6),
    ],
)  # fmt: skip
def test_the_promise_chain_counts_each_step_from_the_one_reached_before(dates, expected):
    steps = promise_chain(dates)
    assert [step.label for step in steps] == ["签约", "摘牌", "开工", "投产", "入统", "首次纳税"]
    assert [step.on for step in steps] == dates
    assert [step.days for step in steps] == expected


@pytest.mark.parametrize(
    ("promised", "started", "overdue", "delay", "phrase"),
    [
        (date(2026, 6, 1), None, 29, None, ""),  # 1 June → 30 June: 29 days late
        (date(2026, 6, 30), None, None, None, ""),  # the day promised is not late
        (date(2026, 7, 15), None, None, None, ""),  # not yet due
        (date(2026, 6, 1), date(2026, 6, 6), None, 5, "晚5天"),
        (date(2026, 6, 1), date(2026, 5, 29), None, -3, "提前3天"),
        (date(2026, 6, 1), date(2026, 6, 1), None, 0, "按期"),
        (None, None, None, None, ""),
    ],
)
def test_a_promised_start_against_the_actual_one(promised, started, overdue, delay, phrase):
    assert start_overdue_days(promised, started, TODAY) == overdue
    assert start_delay_days(promised, started) == delay
    assert delay_phrase(delay) == phrase
