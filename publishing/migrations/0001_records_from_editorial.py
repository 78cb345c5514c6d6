"""
Take over editorial's records, tables and all: only the migration state moves, the tables keep
their names and rows. The content types move too, and with them the permissions, the groups
that hold them, admin log entries and reversion's versions.
"""

import django.db.models.deletion
import django.utils.timezone
import publishing.models
from django.conf import settings
from django.db import migrations, models

MOVED = ["changelogentry", "contentversion", "reviewer", "signoff", "slugredirect", "translation"]


def move_content_types(old, new):
    def move(apps, schema_editor):
        apps.get_model("contenttypes", "ContentType").objects.filter(
            app_label=old, model__in=MOVED
        ).update(app_label=new)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("editorial", "0006_translation_groups"),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ChangeLogEntry',
                    fields=[
                        ('seq', models.BigAutoField(primary_key=True, serialize=False)),
                        ('content_type', models.CharField(max_length=16)),
                        ('slug', models.SlugField(db_index=False, max_length=120)),
                        ('action', models.CharField(choices=[('upsert', 'Created or updated'), ('remove', 'Deleted, unpublished or renamed')], max_length=8)),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ],
                    options={
                        'verbose_name_plural': 'change log entries',
                        'db_table': 'editorial_changelogentry',
                        'ordering': ['seq'],
                        'indexes': [models.Index(fields=['content_type', 'seq'], name='editorial_c_content_33ee6c_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='ContentVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('generation', models.BigIntegerField(default=1)),
                        ('changed_at', models.DateTimeField(default=publishing.models.whole_second_now, help_text='Whole seconds, one later at least than before.')),
                        ('next_scheduled_at', models.DateTimeField(blank=True, help_text='The earliest publish date still in the future.', null=True)),
                        ('pruned_through', models.BigIntegerField(default=0, help_text='The change log has been pruned up to this sequence number.')),
                    ],
                    options={
                        'db_table': 'editorial_contentversion',
                        'constraints': [models.CheckConstraint(condition=models.Q(('pk', 1)), name='content_version_single_row')],
                    },
                ),
                migrations.CreateModel(
                    name='Reviewer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('credentials', models.CharField(blank=True, help_text='For example: MD, PhD.', max_length=200)),
                        ('speciality', models.CharField(blank=True, max_length=200)),
                        ('licence_id', models.CharField(blank=True, help_text='With its issuer.', max_length=100, verbose_name='licence or registration id')),
                        ('profile_url', models.URLField(blank=True, max_length=500)),
                        ('is_placeholder', models.BooleanField(default=False, help_text='A stand-in (demo content): never presented to readers as a real review.')),
                        ('user', models.OneToOneField(blank=True, help_text='The account they sign off with in the admin.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reviewer', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'editorial_reviewer',
                        'ordering': ['name', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='SignOff',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('entry_version', models.PositiveIntegerField(help_text='The version of the entry signed.')),
                        ('text_digest', models.CharField(max_length=64)),
                        ('kind', models.CharField(choices=[('review', 'Medical review'), ('minor_edit', 'Typo fix, no new review needed')], default='review', max_length=16)),
                        ('signed_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('reviewed_on', models.DateField(help_text="The date of the medical review; a typo fix keeps the review's date.")),
                        ('note', models.CharField(blank=True, max_length=300)),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='contenttypes.contenttype')),
                        ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='sign_offs', to='publishing.reviewer')),
                        ('signed_by', models.ForeignKey(blank=True, help_text='None for a review carried over from the earlier free-text fields.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'editorial_signoff',
                        'ordering': ['-signed_at', '-pk'],
                        'permissions': [('sign_off_medical_review', 'Can sign off medical review'), ('publish_content', 'Can publish content')],
                    },
                ),
                migrations.CreateModel(
                    name='SlugRedirect',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(help_text="The entry's type, as the API names it.", max_length=16)),
                        ('old_slug', models.SlugField(db_index=False, max_length=120)),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        'db_table': 'editorial_slugredirect',
                        'ordering': ['kind', 'old_slug'],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'old_slug'), name='slug_redirect_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='Translation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(help_text="The entry's type, as the API names it.", max_length=16)),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('language', models.CharField(max_length=8)),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('in_review', 'In review'), ('published', 'Published')], default='draft', max_length=16)),
                        ('source_digest', models.CharField(blank=True, editable=False, help_text='Digest of the English text when the translation was signed off.', max_length=64)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('sign_off', models.ForeignKey(blank=True, editable=False, help_text='The medical sign-off of the translated text; none once that text changed.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='publishing.signoff')),
                        ('text_author', models.ForeignKey(blank=True, editable=False, help_text='Who last changed the translated text: never the one who signs it off.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'editorial_translation',
                        'ordering': ['kind', 'object_id', 'language'],
                    },
                ),
                migrations.AddIndex(
                    model_name='signoff',
                    index=models.Index(fields=['content_type', 'object_id'], name='editorial_s_content_25f5a6_idx'),
                ),
                migrations.AddConstraint(
                    model_name='translation',
                    constraint=models.UniqueConstraint(fields=('kind', 'object_id', 'language'), name='translation_unique'),
                ),
            ],
        ),
        migrations.RunPython(
            move_content_types("editorial", "publishing"),
            move_content_types("publishing", "editorial"),
        ),
    ]
