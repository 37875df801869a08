"""A migration operation for SQL that differs between PostgreSQL and SQLite (indexes, constraints
that Django cannot express portably). Both databases must keep the same rule; see its callers."""

from django.db import migrations


def vendor_sql(*, postgresql=(), sqlite=(), reverse_postgresql=(), reverse_sqlite=()) -> migrations.RunPython:
    def run(statements):
        def apply(apps, schema_editor):
            for statement in statements.get(schema_editor.connection.vendor, ()):
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(
        run({"postgresql": postgresql, "sqlite": sqlite}),
        run({"postgresql": reverse_postgresql, "sqlite": reverse_sqlite}),
    )
