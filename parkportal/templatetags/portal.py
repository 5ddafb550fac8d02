"""Template filters that show figures by the portal's number rules (parkportal.display)."""

from django import template

from parkportal import display

register = template.Library()

# "1,200.5", "—" when there is none.
register.filter("figure", display.figure)
# An indicator's figure in a table column, by its unit: "1,149.10" (万元), "5,648"; "—".
register.filter("cell", display.cell)
# "35.92%" with 2 decimals, "—" when there is none.
register.filter("percent", display.percent)
