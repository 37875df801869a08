"""The access log of sensitive personal data (Law 91/2025/QH15: religion is sensitive data).

Which fields are sensitive and who may see them is decided by the app that owns them (secretaries/
sensitive.py); this is only the record: every export (Excel, immediate or a background job) that carries a
sensitive field writes one row here, and the administrator reads them in Django admin (read-only).
"""

from collections.abc import Iterable

from .log_context import current_request

#: the sensitive fields by the names their forms give them ("religion" → "Tôn giáo"), as the app that owns
#: them registers them (register_field_labels): the access log in Django admin shows these
FIELD_LABELS: dict[str, object] = {}


def register_field_labels(labels: dict) -> None:
    FIELD_LABELS.update(labels)


def field_labels(names: Iterable[str]) -> str:
    return ", ".join(str(FIELD_LABELS.get(name, name)) for name in names)


def _plain(filters) -> dict:
    """A request's query (or any mapping) as a JSON-friendly dict; the page number is not a filter."""
    if filters is None:
        return {}
    if hasattr(filters, "lists"):
        items = {key: values if len(values) > 1 else values[0] for key, values in filters.lists()}
    else:
        items = dict(filters)
    items.pop("page", None)
    return {
        str(k)[:50]: (v if isinstance(v, list) else str(v)[:200])
        for k, v in items.items()
        if v not in ("", [])
    }


def record_sensitive_access(
    *, what: str, fields: Iterable[str], rows: int, filters=None, user=None, subject_id: int | None = None
) -> None:
    """Record that `user` (default: the current request's) took `rows` rows of `fields` out in `what`."""
    from .models import SensitiveDataAccess

    if user is None:
        request = current_request()
        user = getattr(request, "user", None) if request is not None else None
    SensitiveDataAccess.objects.create(
        user_id=user.pk if user is not None and user.is_authenticated else None,
        what=what[:200],
        fields=sorted(set(fields)),
        filters=_plain(filters),
        rows=rows,
        subject_id=subject_id,
    )
