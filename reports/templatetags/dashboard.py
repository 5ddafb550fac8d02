"""Template filters of the dashboard: sums in 亿元, growth with its sign."""

from decimal import Decimal

from django import template

from parkportal.domain import NO_FIGURE, round_half_up, wan_to_yi

register = template.Library()


@register.filter
def yi(wan: Decimal | None) -> str:
    """Show a sum in 万元 as 亿元 with 4 decimals, without the unit: "56.7559"; "—" if none."""
    if wan is None:
        return NO_FIGURE
    return f"{wan_to_yi(wan)}"


@register.filter
def growth(rate: Decimal | None) -> str:
    """Show a growth rate with its sign: "+35.92%", "-3.10%"; "—" when there is no base."""
    if rate is None:
        return NO_FIGURE
    rate = round_half_up(rate)
    return f"+{rate}%" if rate > 0 else f"{rate}%"


@register.filter
def trend(rate: Decimal | None) -> str:
    """Return the CSS modifier of a growth rate: "up", "down" or "" (none, or zero)."""
    if rate is None or rate == 0:
        return ""
    return "up" if rate > 0 else "down"
