"""Template filters that show figures by the portal's number rules (parkportal.display)."""

from django import template

from parkportal import display

register = template.Library()

# "1,200.5", "—" when there is none.
register.filter("figure", display.figure)
# "35.92%" with 2 decimals, "—" when there is none.
register.filter("percent", display.percent)
