"""
Keep the search index in step with the content: every save, publish, unpublish, delete and
tag change updates it at once, in the same transaction. `rebuild()` starts it afresh.

Only items whose status is *published* are indexed; whether their publish date has passed is
decided at query time, so scheduled items appear on time without anything having to run. An
item has one document in English, its own text, and one for each published translation its
model gives (`index_translations()`, see search/registry.py).
Writes that bypass signals (`QuerySet.update()`, raw SQL) need `manage.py rebuild_search_index`.
"""

import re
from collections import Counter

from django.db import connection, transaction
from django.db.models import Case, F, Prefetch, When
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from apibase.languages import DEFAULT_LANGUAGE
from content import registry
from content.models import Status
from publishing.kinds import translated_model
from publishing.models import Translation
from search.languages import ENGLISH, LANGUAGES
from search.models import SearchDocument, SearchTag, SearchWord, forget_vocabulary
from search.query import MARK_END, MARK_START
from search.registry import searchable_models, translations_of, type_of
from taxonomy.models import Condition, Topic, served_name

# Private-use characters mark matches in snippets; no indexed text may contain them.
_UNSAFE = re.compile(f"[\x00{MARK_START}{MARK_END}]")
_WORD = re.compile(r"[^\W\d_]{3,40}")
BATCH = 500
# The fields whose words the vocabulary counts (once per document).
WORD_FIELDS = ("title", "summary", "tags", "body", "context")


def clean(text):
    return _UNSAFE.sub(" ", text or "")


def vocabulary(*texts, language=ENGLISH):
    return {language.fold(word.lower()) for text in texts for word in _WORD.findall(text)}


def _tag_text(tags, language):
    # Other names are the words people search for, in whatever language they wrote them.
    return " ".join(" ".join([served_name(tag, language), *tag.other_names]) for tag in tags)


def _description_text(tags):
    return " ".join(tag.description for tag in tags)


def _documents(item, conditions, topics):
    """The item's documents: its own text in English, then each published translation."""
    documents = []
    for language, components in [
        (ENGLISH.code, item.index_components()),
        *translations_of(item),
    ]:
        documents.append(
            SearchDocument(
                type=type_of(type(item)),
                object_id=item.pk,
                language=language,
                slug=item.slug,
                title=clean(components.title),
                summary=clean(components.summary),
                # Each tag's name in the document's language where its translation is
                # published (in_language() annotated the tags), else English.
                tags=clean(_tag_text([*conditions, *topics], language)),
                body=clean(components.body),
                # The tags' descriptions are English prose: not searched in other languages.
                context=(
                    clean(_description_text([*conditions, *topics]))
                    if language == ENGLISH.code
                    else ""
                ),
                status=item.status,
                published_at=item.published_at,
            )
        )
    return documents


def _tag_rows(document, conditions, topics):
    return [
        SearchTag(
            document=document,
            facet=facet,
            slug=tag.slug,
            name=served_name(tag, document.language),
        )
        for facet, tags in (
            (SearchTag.Facet.CONDITION, conditions),
            (SearchTag.Facet.TOPIC, topics),
        )
        for tag in tags
    ]


def _count_words(delta):
    """
    Add each count in `delta` ((language, word): +n or -n documents) to the vocabulary, in
    bulk.
    """
    forget_vocabulary()
    table = SearchWord._meta.db_table
    added = sorted((language, word, n) for (language, word), n in delta.items() if n > 0)
    removed = {}
    for (language, word), n in delta.items():
        if n < 0:
            removed.setdefault((language, -n), []).append(word)
    # Constant SQL with every word a parameter; concurrent writers add up, never overwrite.
    # (An upsert: the ORM's bulk_create cannot add to the stored count on conflict.)
    with connection.cursor() as cursor:
        for start in range(0, len(added), BATCH):
            batch = added[start : start + BATCH]
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} (language, word, documents) VALUES {values} "  # noqa: S608  # nosec B608
                f"ON CONFLICT (language, word) DO UPDATE "
                f"SET documents = {table}.documents + excluded.documents",
                [value for row in batch for value in row],
            )
    for (language, n), words in removed.items():
        for start in range(0, len(words), BATCH):
            SearchWord.objects.filter(
                language=language, word__in=words[start : start + BATCH]
            ).update(documents=Case(When(documents__gt=n, then=F("documents") - n), default=0))


def _differs(document, previous, name):
    return getattr(document, name) != getattr(previous, name)


def _document_delta(old, new):
    """
    How the vocabulary's counts change when document `old` becomes `new` (either None, not
    both), by (language, word): both are of the same language.
    """
    language = LANGUAGES[(new or old).language]
    before, after = set(), set()
    for name in WORD_FIELDS:
        words_before = vocabulary(getattr(old, name), language=language) if old else set()
        if old and new and not _differs(new, old, name):
            words_after = words_before
        else:
            words_after = vocabulary(getattr(new, name), language=language) if new else set()
        before |= words_before
        after |= words_after
    delta = Counter({(language.code, word): 1 for word in after - before})
    delta.update({(language.code, word): -1 for word in before - after})
    delta[language.code, SearchWord.TOTAL] = (new is not None) - (old is not None)
    return delta


DOCUMENT_FIELDS = ["slug", "title", "summary", "tags", "body", "context", "status", "published_at"]


@transaction.atomic
def index_item(item):
    """Add, update or remove one item's document."""
    if item.status != Status.PUBLISHED:
        unindex(type(item), item.pk)
        return
    # in_language(): whether each tag's translations are published, read with the tags.
    conditions = list(item.conditions.in_language(ENGLISH.code))
    topics = list(item.topics.in_language(ENGLISH.code))
    documents = _documents(item, conditions, topics)
    old = {
        document.language: document
        for document in SearchDocument.objects.filter(
            type=documents[0].type, object_id=documents[0].object_id
        )
    }
    delta = Counter()
    for new in documents:
        document, _ = SearchDocument.objects.update_or_create(
            type=new.type,
            object_id=new.object_id,
            language=new.language,
            defaults={name: getattr(new, name) for name in DOCUMENT_FIELDS},
        )
        document.tag_rows.all().delete()
        SearchTag.objects.bulk_create(_tag_rows(document, conditions, topics))
        delta.update(_document_delta(old.pop(new.language, None), document))
    # Translations no longer published.
    for document in old.values():
        delta.update(_document_delta(document, None))
        document.delete()
    _count_words(delta)


@transaction.atomic
def unindex(model, pk):
    for document in SearchDocument.objects.filter(type=type_of(model), object_id=pk):
        _count_words(_document_delta(document, None))
        document.delete()


@transaction.atomic
def rebuild():
    """Index every item again from scratch; return how many documents the index holds."""
    SearchTag.objects.all().delete()
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    for model in searchable_models():
        index_published(model.objects.all())
    return SearchDocument.objects.count()


@transaction.atomic
def index_published(items):
    """
    Index the published items of a QuerySet, a batch at a time: a constant number of
    queries per batch however many items there are (a tag carried by thousands of items
    is renamed in one request).
    """
    # in_language(): which translations are published, read with the items (index_translations()).
    items = (
        items.filter(status=Status.PUBLISHED)
        .in_language(DEFAULT_LANGUAGE)
        .prefetch_related(*(_tags_in_languages(items.model, name) for name in TAG_RELATIONS))
    )
    batch = []
    for item in items.iterator(chunk_size=BATCH):
        batch.append(item)
        if len(batch) == BATCH:
            _index_batch(items.model, batch)
            batch = []
    if batch:
        _index_batch(items.model, batch)


TAG_RELATIONS = ("conditions", "topics")


def _tags_in_languages(model, relation):
    """Prefetch the tags with whether each translation of theirs is published."""
    tag_model = model._meta.get_field(relation).related_model
    return Prefetch(relation, tag_model.objects.in_language(DEFAULT_LANGUAGE))


def _index_batch(model, items):
    tags = {item.pk: (list(item.conditions.all()), list(item.topics.all())) for item in items}
    documents = [document for item in items for document in _documents(item, *tags[item.pk])]
    old = {
        (document.object_id, document.language): document
        for document in SearchDocument.objects.filter(
            type=type_of(model), object_id__in=[item.pk for item in items]
        )
    }
    changed, fields = [], set()
    for document in documents:
        if previous := old.get((document.object_id, document.language)):
            document.pk = previous.pk
            differ = {name for name in DOCUMENT_FIELDS if _differs(document, previous, name)}
            if differ:
                changed.append(document)
                fields |= differ
    # Only what changed is sent: a tag's rename rewrites its items' tags, not their bodies.
    if changed:
        SearchDocument.objects.bulk_update(changed, sorted(fields), batch_size=BATCH)
    SearchDocument.objects.bulk_create([document for document in documents if not document.pk])
    SearchTag.objects.filter(document__in=[document.pk for document in documents]).delete()
    SearchTag.objects.bulk_create(
        [row for document in documents for row in _tag_rows(document, *tags[document.object_id])],
        batch_size=BATCH,
    )
    delta = Counter()
    for document in documents:
        delta.update(
            _document_delta(old.pop((document.object_id, document.language), None), document)
        )
    # Translations no longer published.
    if old:
        for document in old.values():
            delta.update(_document_delta(document, None))
        SearchDocument.objects.filter(id__in=[document.pk for document in old.values()]).delete()
    _count_words(delta)


@transaction.atomic
def reindex_tagged_with(tag):
    """Index again every item carrying a condition or topic, after it changed."""
    for model in searchable_models():
        index_published(model.objects.filter(pk__in=_items_of(tag, model)))


# Signal receivers: they only keep the index in step.


def _item_saved(sender, instance, **kwargs):
    index_item(instance)


def _item_deleted(sender, instance, **kwargs):
    unindex(sender, instance.pk)


def _translation_changed(sender, instance, **kwargs):
    """
    A translation published or withdrawn: its entry's documents follow; a tag's, those of
    the items carrying it (their tags are searched in each language).
    """
    if instance.kind in {Condition.reference_type, Topic.reference_type}:
        tag = translated_model(instance.kind)._base_manager.filter(pk=instance.object_id).first()
        if tag is not None:
            reindex_tagged_with(tag)
        return
    if instance.kind not in registry.type_names():
        return
    entry = registry.get(instance.kind).model._base_manager.filter(pk=instance.object_id).first()
    if entry is not None:
        index_item(entry)


def _tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        if action != "pre_clear":
            index_item(instance)
    elif action == "pre_clear":
        # The tag's items are about to lose it: remember them, they are unknown afterwards.
        instance._search_cleared = list(_items_of(instance, model).values_list("pk", flat=True))
    elif action == "post_clear":
        index_published(model.objects.filter(pk__in=getattr(instance, "_search_cleared", [])))
    else:
        index_published(model.objects.filter(pk__in=pk_set))


def _items_of(tag, model):
    relation = "conditions" if isinstance(tag, Condition) else "topics"
    return model.objects.filter(**{relation: tag}).values("pk")


def _tag_saved(sender, instance, created, **kwargs):
    if not created:
        reindex_tagged_with(instance)


def _tag_deleting(sender, instance, **kwargs):
    # The tag's items are about to lose it: remember them, they are unknown afterwards.
    instance._search_tagged = {
        model: list(_items_of(instance, model).values_list("pk", flat=True))
        for model in searchable_models()
    }


def _tag_deleted(sender, instance, **kwargs):
    for model, pks in getattr(instance, "_search_tagged", {}).items():
        index_published(model.objects.filter(pk__in=pks))


def connect(model):
    uid = f"search-{model._meta.label}"
    post_save.connect(_item_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_item_deleted, sender=model, dispatch_uid=uid)
    for relation in ("conditions", "topics"):
        through = model._meta.get_field(relation).remote_field.through
        m2m_changed.connect(_tags_changed, sender=through, dispatch_uid=f"{uid}-{relation}")


def connect_translations():
    post_save.connect(_translation_changed, sender=Translation, dispatch_uid="search-translation")
    post_delete.connect(_translation_changed, sender=Translation, dispatch_uid="search-translation")


def connect_tags():
    for tag_model in (Condition, Topic):
        uid = f"search-{tag_model._meta.label}"
        post_save.connect(_tag_saved, sender=tag_model, dispatch_uid=uid)
        pre_delete.connect(_tag_deleting, sender=tag_model, dispatch_uid=uid)
        post_delete.connect(_tag_deleted, sender=tag_model, dispatch_uid=uid)
