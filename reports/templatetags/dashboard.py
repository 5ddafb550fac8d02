"""Template filters of the dashboard: sums in 亿元, growth with its sign (parkportal.display)."""

from decimal import Decimal

from django import template

from parkportal import display

register = template.Library()

# "56.7559" (亿元, the unit written beside it), "—" when there is none.
register.filter("yi", display.yi)
# "+35.92%", "-3.10%", "—" when there is no base.
register.filter("growth", display.growth)
# "1,600": an amount rounded to a whole number.
register.filter("whole", display.whole)


@register.filter
def trend(rate: Decimal | None) -> str:
    """Return the CSS modifier of a growth rate: "up", "down" or "" (none, or zero)."""
    if rate is None or rate == 0:
        return ""
    return "up" if rate > 0 else "down"
