"""The data-subject export (Law 91/2025/QH15: a person may obtain the data held about them).

The secretary's export gathers what every app holds about one person, so, like the person page, it reads
a registry the apps fill in their AppConfig.ready(): a function that takes the Person and returns the
sheets (core.excel.Sheet) of its domain, in the order of INSTALLED_APPS.
"""

from collections.abc import Callable

SUBJECT_SHEETS: list[Callable] = []


def register_subject_sheets(func: Callable) -> Callable:
    if func not in SUBJECT_SHEETS:
        SUBJECT_SHEETS.append(func)
    return func


def subject_sheets(person) -> list:
    return [sheet for func in SUBJECT_SHEETS for sheet in func(person)]
