"""Template filters of the dashboard: sums in 亿元, growth with its sign (parkportal.display)."""

from decimal import Decimal

from django import template

from indicators.domain import Growth, Turn
from parkportal import display

register = template.Library()

# "56.7559", "18.23" (亿元, the unit written beside it), "—" when there is none.
register.filter("yi", display.yi)
# "+35.92%", "-3.10%", "由盈转亏" across a loss, "—" when there is no base.
register.filter("growth", display.growth)
# A sum as a sentence writes it, "5.63亿元" or "4,344万元"; its number and its unit apart.
register.filter("money_text", display.money_text)
register.filter("money_number", display.money_number)
register.filter("money_unit", display.money_unit)
# "4,344", "1,565.7": an amount in 万元 as a sentence writes it (the unit beside it).
register.filter("wan", display.wan)
# "1,600": an amount rounded to a whole number.
register.filter("whole", display.whole)


BETTER = {Turn.TO_PROFIT, Turn.LOSS_NARROWED}


@register.filter
def trend(rate: Decimal | Growth | None) -> str:
    """Return the CSS modifier of a growth rate (or a change across a loss): "up", "down"
    or "" (none, or zero)."""
    if isinstance(rate, Growth):
        if rate.turn is not None:
            return "up" if rate.turn in BETTER else "down"
        rate = rate.rate
    if rate is None or rate == 0:
        return ""
    return "up" if rate > 0 else "down"
