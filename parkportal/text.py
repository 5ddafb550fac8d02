"""Text from users: what may not reach the database."""

import re

# C0 controls but tab, line feed and carriage return, and DEL: invisible, and NUL is
# refused outright by PostgreSQL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    """Return whether `text` holds a control character that no form should accept."""
    return CONTROL_CHARACTERS.search(text) is not None


def without_control_characters(text: str) -> str:
    """Return `text` with its control characters removed, to show it again."""
    return CONTROL_CHARACTERS.sub("", text)
