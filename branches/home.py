"""What the first screen says about branches across the reform: how many still wait for their new commune."""

from core.home import Panel

from . import selectors


def panel(user) -> Panel | None:
    """For provincial staff and the administrator, who choose the new communes; nothing once none wait."""
    count = selectors.waiting_count(user=user)
    if not count:
        return None
    return Panel(template="branches/partials/home_waiting_panel.html", context={"waiting": count})
