"""Load the demo content in demo/ into the database; running it again changes nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from editorial.services import entry_update
from images.demo import load_image_folder
from representations.rendering import render_stale
from transfer.services import apply_import, plan_import
from transfer.translations import load_translations

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


class Command(BaseCommand):
    help = "Load the demo articles, FAQs, research summaries and taxonomy from demo/."

    def handle(self, *args, **options):
        # All or nothing, and one commit: the answers the load changes are rendered once, after
        # it, instead of after each of its hundreds of changes.
        with transaction.atomic():
            self.load()
        rendered = render_stale()
        self.stdout.write(f"Demo answers: {rendered} item(s) rendered.")

    def load(self):
        # The demo folder has the import format, so it goes through the same validation:
        # a bad demo file stops the load before anything is written.
        changed = apply_import(plan_import(DEMO_DIR), comment="Demo content loaded.")
        self.stdout.write(f"Demo content loaded: {changed} item(s) created or changed.")
        stored, heroes = load_image_folder(DEMO_DIR / "images")
        attached = 0
        for article in Article.objects.filter(slug__in=heroes):
            if article.image_id is None:
                fields = {"image": heroes[article.slug]}
                entry_update(entry=article, fields=fields, actor=None, comment="Demo image.")
                attached += 1
        self.stdout.write(f"Demo images: {stored} stored, {attached} set as hero images.")
        # After the images: their alt text is translated too.
        translated = load_translations(DEMO_DIR / "translations")
        self.stdout.write(f"Demo translations: {translated} created or changed.")
