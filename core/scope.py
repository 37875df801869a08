"""The one place that decides which rows a user may see.

Every scoped model's QuerySet mixes in `ScopedQuerySet` and names the paths from its rows to the
province and to the district. Lists start from `visible_to(user)`; details, forms, exports, search and
autocomplete load through it too, so an object outside the user's scope simply does not exist (404).
"""

from django.db import models


class ScopedQuerySet(models.QuerySet):
    #: lookup from a row to its province's primary key, e.g. "commune__province"
    province_path: str = "province"
    #: lookup from a row to its district's primary key, e.g. "commune__district"
    district_path: str = "district"

    def visible_to(self, user) -> "ScopedQuerySet":
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.is_administrator:
            return self.all()
        if user.is_provincial_staff:
            return self.filter(**{self.province_path: user.province_id})
        if user.is_district_officer:
            return self.filter(**{self.district_path: user.district_id})
        return self.none()

    def in_province(self, province) -> "ScopedQuerySet":
        return self.filter(**{self.province_path: province.pk})

    def in_district(self, district) -> "ScopedQuerySet":
        return self.filter(**{self.district_path: district.pk})
