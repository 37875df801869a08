"""The first screen ("Tổng quan") is assembled from panels that each app contributes.

An app registers a function in its AppConfig.ready(); the function takes the user and returns a Panel
(or None when it has nothing to say to that user). Panels render in registration order.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)


PANELS: list[Callable] = []


def register_panel(func: Callable) -> Callable:
    if func not in PANELS:
        PANELS.append(func)
    return func


def panels_for(user) -> list[Panel]:
    return [panel for panel in (func(user) for func in PANELS) if panel is not None]
