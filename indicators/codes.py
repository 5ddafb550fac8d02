"""Codes of the indicators seeded into every catalog, for code that needs a given one."""

REVENUE = "revenue"
INDUSTRIAL_OUTPUT = "industrial_output"
TAX = "tax"
FIXED_ASSET_INVESTMENT = "fixed_asset_investment"
TOTAL_PROFIT = "total_profit"
EMPLOYEES = "employees"
