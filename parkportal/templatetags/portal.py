"""Template filters that show figures by the portal's number rules."""

from decimal import Decimal

from django import template

from parkportal.domain import NO_FIGURE, format_percent

register = template.Library()


@register.filter
def figure(value: Decimal | None) -> str:
    """Show a stored figure as people read it: "1,200.5"; "—" when there is none."""
    if value is None or value == "":
        return NO_FIGURE
    text = f"{Decimal(value):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def percent(value: Decimal | None) -> str:
    """Show a rate in % with 2 decimals: "35.92%"; "—" when there is none."""
    return format_percent(value)
