"""Pages that gather what several apps know about one object read their sections from here.

The person page shows assessments, seminars and commendations; the branch page shows the branch's
secretaries. The page's own app sits below the apps that know these things, so it cannot import them:
each of those apps registers a function for the page in its AppConfig.ready(). The function takes the
page's object and the user and returns a Section (or None when it has nothing to show). Sections render
in registration order, that is in the order of INSTALLED_APPS, with `{% render_section section %}`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PERSON_PAGE = "person"
BRANCH_PAGE = "branch"
#: the confirmation before a branch is marked inactive: what goes on in it regardless (its leaders' terms)
BRANCH_DEACTIVATE_PAGE = "branch_deactivate"
#: the secretary's own page (/toi/): each app shows the secretary what it holds about them, read-only; the
#: function gets the person and the secretary's account (never a scope: the person is the filter)
OWN_PAGE = "own"


@dataclass
class Section:
    template: str
    #: added to the page's context while the section's template renders
    context: dict = field(default_factory=dict)


SECTIONS: dict[str, list[Callable]] = {}


def register_section(page: str, func: Callable) -> Callable:
    functions = SECTIONS.setdefault(page, [])
    if func not in functions:
        functions.append(func)
    return func


def sections_for(page: str, obj, *, user) -> list[Section]:
    return [section for section in (func(obj, user=user) for func in SECTIONS.get(page, [])) if section]
