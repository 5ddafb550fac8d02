"""Number rules every figure of the portal follows: rounding and shares.

Pure functions on Decimal; no ORM, no request. Money is held in 万元 and rounded
only when it is shown, by parkportal.display.
"""

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def round_half_up(value: Decimal, places: Decimal = CENT) -> Decimal:
    """Return `value` rounded half away from zero to `places`, as statistics offices do."""
    return value.quantize(places, rounding=ROUND_HALF_UP)


def plain_number(value: Decimal) -> str:
    """Return a figure as a person types it: "1200.5" for 1200.5000, never "1.2005E+3"."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def shares(parts: Sequence[Decimal]) -> list[Decimal | None]:
    """Return each part's share of the total in %, with 2 decimals, adding up to exactly 100.00.

    Each share is first cut to the cent; the cents still missing go to the parts
    with the largest remainders (largest-remainder method), so 59917 and 30942
    of 90859 give 65.95 and 34.05. With a total of zero no share exists: every
    share is None. Parts must not be negative.
    """
    if any(part < 0 for part in parts):
        raise ValueError("shares need parts that are not negative")
    total = sum(parts, Decimal(0))
    if total == 0:
        return [None] * len(parts)
    exact = [part * HUNDRED / total for part in parts]
    floors = [share.quantize(CENT, rounding=ROUND_DOWN) for share in exact]
    missing_cents = int((HUNDRED - sum(floors, Decimal(0))) / CENT)
    by_remainder = sorted(range(len(parts)), key=lambda i: (exact[i] - floors[i], -i), reverse=True)
    for i in by_remainder[:missing_cents]:
        floors[i] += CENT
    return floors
