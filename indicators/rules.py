"""The validation rules an office sets (ValidationRule), evaluated on enterprise-months.

A rule compares one indicator of an enterprise's month (its left side) with another
indicator, a constant, or a constant × another indicator, such as 税收收入 ≤ 营业收入 or
工业总产值 ≥ 0.5 × 营业收入 for 规上工业. It compares the figures as stored: the
year-to-date cumulative of a flow, the month's figure of a stock, each in its
indicator's unit (万元 for money). A rule with a figure missing on either side does
not fire: a blank is "not reported", and there is nothing to compare.

The entry page (indicators.selectors.entry_sheet), the monthly sheet's import
(indicators.monthly_sheet) and the admin's MonthlyValue form all call
`rule_breaches`: the rules read once, the figures of all the months in one query
(or handed in by the caller, who holds them already).
"""

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from parkportal.domain import plain_number
from parkportal.models import Enterprise

from .choices import RuleOperator, RuleRightSide, RuleScope, RuleSeverity
from .domain import ERROR, WARNING, FigureCheck
from .models import MonthlyValue, ValidationRule

FigureKey = tuple[int, int, int, int]  # (enterprise id, indicator id, year, month)
MonthKey = tuple[int, int, int]  # (enterprise id, year, month)
Member = tuple[str, int | None]  # an enterprise's (四上 category, industry id)

COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    RuleOperator.EQ: operator.eq,
    RuleOperator.NE: operator.ne,
    RuleOperator.LT: operator.lt,
    RuleOperator.LE: operator.le,
    RuleOperator.GT: operator.gt,
    RuleOperator.GE: operator.ge,
}
SYMBOLS = dict(RuleOperator.choices)


def holds(left: Decimal, op: str, right: Decimal) -> bool:
    """Return whether `left op right` is true (the rule is kept)."""
    return COMPARISONS[op](left, right)


def right_value(side: str, constant: Decimal | None, figure: Decimal | None) -> Decimal | None:
    """Return a rule's right side: the other indicator's figure, the constant, or the
    constant × the figure; None when the figure it needs is missing."""
    if side == RuleRightSide.CONSTANT:
        return constant
    if figure is None:
        return None
    if side == RuleRightSide.SCALED:
        return constant * figure
    return figure


@dataclass(frozen=True)
class Rule:
    """A ValidationRule as the evaluation reads it: plain values, no ORM."""

    pk: int
    left: int  # indicator id
    left_name: str
    op: str
    side: str
    right: int | None  # indicator id
    right_name: str
    constant: Decimal | None
    scope: str = RuleScope.ALL
    scale_category: str = ""
    industry: int | None = None
    severity: str = RuleSeverity.WARNING
    message: str = ""

    @property
    def level(self) -> str:
        return ERROR if self.severity == RuleSeverity.ERROR else WARNING

    def applies_to(self, member: Member) -> bool:
        """Return whether the rule applies to an enterprise of this category and industry."""
        category, industry = member
        if self.scope == RuleScope.CATEGORY:
            return category == self.scale_category
        if self.scope == RuleScope.INDUSTRY:
            return industry == self.industry
        return True

    @property
    def formula(self) -> str:
        """Return the rule as people write it: "税收收入 ≤ 营业收入"."""
        if self.side == RuleRightSide.CONSTANT:
            right = plain_number(self.constant)
        elif self.side == RuleRightSide.SCALED:
            right = f"{plain_number(self.constant)} × {self.right_name}"
        else:
            right = self.right_name
        return f"{self.left_name} {SYMBOLS[self.op]} {right}"

    @classmethod
    def of(cls, rule: ValidationRule) -> "Rule":
        return cls(
            pk=rule.pk,
            left=rule.left_id,
            left_name=rule.left.name,
            op=rule.operator,
            side=rule.right_side,
            right=rule.right_id if rule.right_side != RuleRightSide.CONSTANT else None,
            right_name=rule.right.name if rule.right_id else "",
            constant=rule.constant,
            scope=rule.scope,
            scale_category=rule.scale_category,
            industry=rule.industry_id,
            severity=rule.severity,
            message=rule.message,
        )


def rule_formula(rule: ValidationRule) -> str:
    """Return a stored rule's formula (for the admin's list)."""
    if rule.left_id is None or not rule.operator:
        return ""
    if rule.right_side != RuleRightSide.INDICATOR and rule.constant is None:
        return ""
    if rule.right_side != RuleRightSide.CONSTANT and rule.right_id is None:
        return ""
    return Rule.of(rule).formula


@dataclass(frozen=True)
class Breach:
    """A rule an enterprise-month breaks, with the two sides compared."""

    rule: Rule
    enterprise_id: int
    year: int
    month: int
    left: Decimal
    right: Decimal

    @property
    def key(self) -> FigureKey:
        """The figure the breach is shown at: the rule's left side."""
        return (self.enterprise_id, self.rule.left, self.year, self.month)

    @property
    def level(self) -> str:
        return self.rule.level

    @property
    def text(self) -> str:
        """Return what the clerk reads: the office's message, then the rule and the figures
        compared, e.g. "…（税收收入 ≤ 营业收入：税收收入150，营业收入100）"."""
        rule = self.rule
        compared = [f"{rule.left_name}{plain_number(self.left)}"]
        if rule.side == RuleRightSide.INDICATOR:
            compared.append(f"{rule.right_name}{plain_number(self.right)}")
        elif rule.side == RuleRightSide.SCALED:
            compared.append(
                f"{plain_number(rule.constant)} × {rule.right_name} = {plain_number(self.right)}"
            )
        return f"{rule.message}（{rule.formula}：{'，'.join(compared)}）"

    @property
    def check(self) -> FigureCheck:
        return FigureCheck(self.level, self.text)


def evaluate(
    rules: Iterable[Rule],
    months: Iterable[MonthKey],
    figures: Mapping[FigureKey, Decimal | None],
    members: Mapping[int, Member],
) -> list[Breach]:
    """Return the rules each enterprise-month breaks, in the months' order, then the rules'.

    `figures` holds the months' figures (None or absent: not reported), `members`
    each enterprise's 四上 category and industry.
    """
    rules = list(rules)
    breaches = []
    for e, y, m in sorted(set(months)):
        member = members.get(e, ("", None))
        for rule in rules:
            if not rule.applies_to(member):
                continue
            left = figures.get((e, rule.left, y, m))
            if left is None:
                continue
            figure = figures.get((e, rule.right, y, m)) if rule.right is not None else None
            right = right_value(rule.side, rule.constant, figure)
            if right is None or holds(left, rule.op, right):
                continue
            breaches.append(Breach(rule, e, y, m, left, right))
    return breaches


def active_rules() -> list[Rule]:
    """Return the rules in force, read in one query."""
    return [Rule.of(rule) for rule in ValidationRule.objects.active()]


def rule_breaches(
    months: Iterable[MonthKey],
    *,
    figures: Mapping[FigureKey, Decimal | None] | None = None,
    overlay: Mapping[FigureKey, Decimal | None] | None = None,
    members: Mapping[int, Member] | None = None,
    rules: list[Rule] | None = None,
) -> list[Breach]:
    """Return the rules the enterprise-months `months` break.

    The one evaluation of the entry page, the import and the admin. The rules are
    read once; the months' figures in one query unless the caller hands them in
    (`figures`, e.g. the stored ones it read under its lock), with `overlay` (the
    changes about to be written, None for a deletion) laid over them; the
    enterprises' category and industry in one query unless handed in (`members`).
    """
    months = set(months)
    if rules is None:
        rules = active_rules()
    if not rules or not months:
        return []
    enterprise_ids = {e for e, _, _ in months}
    if figures is None:
        used = {rule.left for rule in rules} | {rule.right for rule in rules if rule.right}
        figures = {
            (e, i, y, m): value
            for e, i, y, m, value in MonthlyValue.objects.filter(
                enterprise_id__in=enterprise_ids,
                indicator_id__in=used,
                year__in={y for _, y, _ in months},
                month__in={m for _, _, m in months},
            ).values_list("enterprise_id", "indicator_id", "year", "month", "value")
        }
    if overlay:
        figures = {**figures, **overlay}
    if members is None:
        members = {
            pk: (category, industry)
            for pk, category, industry in Enterprise.objects.filter(
                pk__in=enterprise_ids
            ).values_list("pk", "scale_category", "industry_id")
        }
    return evaluate(rules, months, figures, members)


def changed_rule_breaches(
    changes: Mapping[FigureKey, Decimal | None],
    stored: Mapping[FigureKey, Decimal] | None = None,
) -> list[Breach]:
    """Return the rules broken by the enterprise-months that `changes` touch, the changes
    laid over the `stored` figures (as the figures' door hands them to its `validate`
    callback), or over the figures read now."""
    return rule_breaches({(e, y, m) for e, _, y, m in changes}, figures=stored, overlay=changes)


def month_rule_checks(
    enterprises: Iterable[Enterprise],
    year: int,
    month: int,
    figures: Mapping[tuple[int, int], Decimal | None],
) -> dict[tuple[int, int], list[FigureCheck]]:
    """Return the entry grid's rule checks, keyed by the (enterprise, indicator) cell of
    each broken rule's left side; `figures` are the month's, as entered or stored."""
    members = {e.pk: (e.scale_category, e.industry_id) for e in enterprises}
    breaches = rule_breaches(
        {(e, year, month) for e in members},
        figures={(e, i, year, month): value for (e, i), value in figures.items()},
        members=members,
    )
    checks: dict[tuple[int, int], list[FigureCheck]] = {}
    for breach in breaches:
        checks.setdefault((breach.enterprise_id, breach.rule.left), []).append(breach.check)
    return checks
