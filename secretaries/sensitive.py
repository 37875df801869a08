"""Who sees sensitive personal data: the one policy (Law 91/2025/QH15 on personal data protection).

Religion is sensitive data under the Law. The portal needs it only for provincial statistics and for
province-level work with religious communities, so it is seen, set, exported and imported only by:
- provincial staff (Cán bộ Tỉnh đoàn) and the administrator;
- the person themselves, on their own pages (they may see and correct all their data).
District and commune officers do not see it: not on the person page, its change history, the edit form,
the Excel export, nor the correction they review (a correction of religion goes to provincial staff);
an import by an officer ignores the column. A person an officer records keeps the default ("None") until
the person or provincial staff correct it.

Party membership is not treated as sensitive: within the Union it is an ordinary fact of a cadre's record
(it is on every cadre's CV and in every report upward), and an officer needs it to propose and assess.
Adding a field to SENSITIVE_FIELDS is enough to hide it the same way everywhere listed above.

Every export that carries a sensitive field writes a row of the access log (core.personal_data).
"""

SENSITIVE_FIELDS: tuple[str, ...] = ("religion",)


def sees_sensitive(user) -> bool:
    """May `user` see the sensitive fields of the people in their scope?"""
    return bool(user and user.is_authenticated and (user.is_administrator or user.is_provincial_staff))


def hidden_fields(user) -> frozenset[str]:
    """The person fields to leave out for `user` (none for those who may see them)."""
    return frozenset() if sees_sensitive(user) else frozenset(SENSITIVE_FIELDS)
