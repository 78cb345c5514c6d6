"""Sign-offs moved to publishing, their table unchanged: only the state follows them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('glossary', '0003_review_groups'),
        ('publishing', '0001_records_from_editorial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='glossaryentry',
                    name='sign_off',
                    field=models.ForeignKey(blank=True, editable=False, help_text='The medical sign-off of the current text; none once the text changed.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='publishing.signoff'),
                ),
            ],
        ),
    ]
