"""Sign-offs moved to publishing, their table unchanged: only the state follows them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_translation_columns'),
        ('publishing', '0001_records_from_editorial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='article',
                    name='sign_off',
                    field=models.ForeignKey(blank=True, editable=False, help_text='The medical sign-off of the current text; none once the text changed.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='publishing.signoff'),
                ),
                migrations.AlterField(
                    model_name='faq',
                    name='sign_off',
                    field=models.ForeignKey(blank=True, editable=False, help_text='The medical sign-off of the current text; none once the text changed.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='publishing.signoff'),
                ),
            ],
        ),
    ]
