"""
Seed the search vocabulary: brand names of the medicines that matter here, from the drug
dictionary shipped in drug-named-entity-recognition, and the consumer-health vocabulary.

"fast" gains a second sense: with words about eating it means fasting, not quickly.
"""

from django.db import migrations

from taxonomy.vocabulary import seed_vocabulary


def seed(apps, schema_editor):
    seed_vocabulary(apps.get_model("taxonomy", "Synonym"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0005_synonym_direction_sense")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
