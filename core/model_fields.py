"""Model fields the apps share."""

from decimal import Decimal

from django.db import models


class PlacesDecimalField(models.DecimalField):
    """A DecimalField whose values are read back with its `decimal_places`, whatever the expression that read
    them: SQLite quantizes a plain column only, so a score read through a subquery or an aggregate came back
    as the float it stores (4.67000000000000, 5, 4.5), and an Excel export, which shows a Decimal with its
    places (core.excel), wrote each in another format. PostgreSQL's numeric keeps its scale already: the
    value is then left as it is."""

    def from_db_value(self, value, expression, connection):
        if value is None or not isinstance(value, Decimal):
            return value
        if value.as_tuple().exponent == -self.decimal_places:
            return value
        return value.quantize(Decimal(1).scaleb(-self.decimal_places), context=self.context)

    def deconstruct(self):
        # The column is a DecimalField's: migrations know it as one, so that changing a field's class to
        # this one alters nothing in the database (SQLite would otherwise rebuild the table).
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
