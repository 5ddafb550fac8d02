"""Template context of the review queue and reminders, for every page's header."""

from django.utils.functional import SimpleLazyObject

from parkportal.roles import can_approve

from .reminders import open_reminders
from .review import waiting_count


def review(request):
    """Add, read only when a page shows them: for admins, how many months wait for
    review (the navigation's badge); for park staff, the reminders (催报) to act on."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "review_waiting": SimpleLazyObject(lambda: waiting_count() if can_approve(user) else 0),
        "open_reminders": SimpleLazyObject(lambda: open_reminders(user)),
    }
