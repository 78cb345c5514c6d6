"""The records now belong to publishing (its 0001): only the state lets go of them."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('editorial', '0006_translation_groups'),
        ('articles', '0010_sign_off_in_publishing'),
        ('glossary', '0004_sign_off_in_publishing'),
        ('research', '0008_sign_off_in_publishing'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='ChangeLogEntry',
                ),
                migrations.DeleteModel(
                    name='ContentVersion',
                ),
                migrations.RemoveField(
                    model_name='reviewer',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='signoff',
                    name='reviewer',
                ),
                migrations.RemoveField(
                    model_name='signoff',
                    name='content_type',
                ),
                migrations.RemoveField(
                    model_name='signoff',
                    name='signed_by',
                ),
                migrations.RemoveField(
                    model_name='translation',
                    name='sign_off',
                ),
                migrations.DeleteModel(
                    name='SlugRedirect',
                ),
                migrations.RemoveField(
                    model_name='translation',
                    name='text_author',
                ),
                migrations.DeleteModel(
                    name='Reviewer',
                ),
                migrations.DeleteModel(
                    name='SignOff',
                ),
                migrations.DeleteModel(
                    name='Translation',
                ),
            ],
        ),
    ]
