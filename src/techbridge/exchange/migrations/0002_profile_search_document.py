"""The profile's full-text search document on PostgreSQL: a generated tsvector column with a GIN index.

Not a model field (see `techbridge.exchange.fulltext`): the model state does not change and on SQLite the
migration does nothing. Adding the column computes it for every existing profile (a table rewrite).
"""

from django.db import migrations

from techbridge.exchange import fulltext


def add_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE exchange_profile ADD COLUMN {fulltext.COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({fulltext.DOCUMENT_SQL}) STORED")
    schema_editor.execute(
        f"CREATE INDEX {fulltext.INDEX_NAME} ON exchange_profile USING gin ({fulltext.COLUMN})")


def remove_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE exchange_profile DROP COLUMN IF EXISTS {fulltext.COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(add_document, remove_document, elidable=False)]
