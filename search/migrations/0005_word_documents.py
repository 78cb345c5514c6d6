"""Count the documents that have each word of the vocabulary; the empty word counts them all."""

import re
from collections import Counter

from django.db import migrations, models

_WORD = re.compile(r"[^\W\d_]{3,40}")


def count(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchWord = apps.get_model("search", "SearchWord")
    counts = Counter()
    columns = ("title", "summary", "tags", "body", "context")
    for texts in SearchDocument.objects.values_list(*columns).iterator(chunk_size=500):
        counts.update({word.lower() for text in texts for word in _WORD.findall(text or "")})
        counts[""] += 1
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, documents=n) for word, n in counts.items()], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_same_tokens_and_context")]

    operations = [
        migrations.AddField(
            model_name="searchword",
            name="documents",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
