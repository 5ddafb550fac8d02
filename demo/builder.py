"""Build a believable demo zone: parks, enterprises, three years of figures, projects, leads.

The demo is planned first, as plain data (`demo.plan`), from the tables of `demo.data` and
from random.Random instances with fixed seeds, never from today's date; then it is written
through natural keys (`demo.write`). Two runs therefore plan the same rows, and the second
run changes nothing.

The demo fills every app, so it lives in an app of its own that nothing imports. This module
is its public face: it re-exports what the seed_demo command and the tests use.
"""

from demo.data import DEMO_ACCOUNTS, INDUSTRIES
from demo.plan import demo_plan
from demo.write import demo_accounts_ready, demo_zone_build

__all__ = [
    "DEMO_ACCOUNTS",
    "INDUSTRIES",
    "demo_accounts_ready",
    "demo_plan",
    "demo_zone_build",
]
