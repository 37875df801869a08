"""Helpers for models with a `status` field of TextChoices."""


def status_is(*values: str) -> property:
    """A read-only property: whether the row's status is one of `values`.

    Templates ask `assessment.is_submitted` rather than compare with the stored code ("da_gui"), so a code
    is spelled once, in its TextChoices."""
    return property(lambda self: self.status in values)
