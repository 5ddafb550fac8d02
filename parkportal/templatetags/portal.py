"""Template filters that show figures by the portal's number rules (parkportal.display)."""

from django import template

from parkportal import display

register = template.Library()

# "1,200.5", "—" when there is none.
register.filter("figure", display.figure)
# An indicator's figure in a table column, by its unit: "1,149.10" (万元), "5,648"; "—".
register.filter("cell", display.cell)
# The same figure as a card writes it: "9,000.12" (万元, at most 2 decimals), "5,648"; "—".
register.filter("in_unit", display.in_unit)
# "35.92%" with 2 decimals, "—" when there is none.
register.filter("percent", display.percent)
