"""Plain-language summaries of clinical studies, each with a structured citation."""

from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from content.models import PlainLanguageContent, PublishableContent
from search.querysets import SearchableQuerySet
from search.registry import IndexComponents


class StudyDesign(models.TextChoices):
    RCT = "rct", "Randomised controlled trial"
    CROSSOVER = "crossover", "Randomised crossover trial"
    OPEN_LABEL = "open-label", "Open-label trial"
    META_ANALYSIS = "meta-analysis", "Meta-analysis"
    SYSTEMATIC_REVIEW = "systematic-review", "Systematic review"
    OBSERVATIONAL = "observational", "Observational study"
    CASE_SERIES = "case-series", "Case series"
    GUIDELINE = "guideline", "Guideline or consensus statement"
    PRECLINICAL = "preclinical", "Preclinical (laboratory or animal) study"


class EvidenceLevel(models.TextChoices):
    """Oxford CEBM 2011 levels of evidence."""

    LEVEL_1 = "1", "Level 1: systematic review of randomised trials"
    LEVEL_2 = "2", "Level 2: randomised trial"
    LEVEL_3 = "3", "Level 3: non-randomised controlled or cohort study"
    LEVEL_4 = "4", "Level 4: case series or case-control study"
    LEVEL_5 = "5", "Level 5: mechanism-based reasoning"


class GradeCertainty(models.TextChoices):
    HIGH = "high", "High"
    MODERATE = "moderate", "Moderate"
    LOW = "low", "Low"
    VERY_LOW = "very-low", "Very low"


# The editable fields of a research summary, besides its title and slug, by what they
# describe: the admin's fieldsets and the write API list them from here.
SUMMARY_FIELDS = ["summary", "body", "key_findings", "limitations"]
STUDY_FIELDS = [
    "study_design",
    "population",
    "sample_size",
    "intervention",
    "comparator",
    "evidence_level",
    "grade_certainty",
]
CITATION_FIELDS = [
    "citation_authors",
    "citation_title",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
]
# The citation's parts by the names its `citation` mapping gives them (API, import files).
CITATION_PARTS = {name.removeprefix("citation_"): name for name in CITATION_FIELDS}


def validate_key_findings(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Give key findings as a list of sentences.")


class ResearchSummary(PlainLanguageContent, PublishableContent):
    title = models.CharField(max_length=300, help_text="A plain-language title.")
    summary = models.TextField(help_text="One or two plain sentences shown in lists.")
    body = models.TextField("plain-language summary", help_text="Markdown.")
    key_findings = models.JSONField(default=list, blank=True, validators=[validate_key_findings])
    limitations = models.TextField(blank=True)

    study_design = models.CharField(max_length=32, choices=StudyDesign.choices, db_index=True)
    population = models.TextField(blank=True)
    sample_size = models.CharField(max_length=300, blank=True)
    intervention = models.TextField(blank=True)
    comparator = models.TextField(blank=True)
    evidence_level = models.CharField(
        "CEBM 2011 level", max_length=1, choices=EvidenceLevel.choices, db_index=True
    )
    grade_certainty = models.CharField(
        "GRADE certainty", max_length=16, choices=GradeCertainty.choices, blank=True
    )

    citation_authors = models.TextField(
        "authors", blank=True, help_text='As cited, e.g. "Berman RM, Cappiello A, Anand A".'
    )
    citation_title = models.CharField("article title", max_length=500, blank=True)
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        db_index=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[RegexValidator(r"^10\.\d{4,9}/\S+$", "A DOI looks like 10.1234/abc.")],
    )
    pmid = models.CharField(
        "PMID",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^[1-9]\d{0,8}$", "A PMID is a number of up to 9 digits.")],
    )
    url = models.URLField("source URL", max_length=500, blank=True)

    conditions = models.ManyToManyField(
        "taxonomy.Condition", blank=True, related_name="research_summaries"
    )
    topics = models.ManyToManyField("taxonomy.Topic", blank=True, related_name="research_summaries")
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="")

    objects = SearchableQuerySet.as_manager()

    reference_type = "research"
    reference_group = "research"
    markdown_fields = ("body",)
    # The Markdown body is the file's own; every other field as the model lists them.
    file_body_field = "body"
    file_fields = ("title", *(name for name in SUMMARY_FIELDS if name != "body"), *STUDY_FIELDS)
    file_nested = MappingProxyType({"citation": CITATION_PARTS})
    detail_fields = (
        "body",
        "body_html",
        "body_text",
        "key_findings",
        "limitations",
        "population",
        "intervention",
        "comparator",
        "citation_authors",
        "citation_title",
        "glossary_terms",
    )
    # The text and the key facts: what the study found, in whom, and where it is published.
    reviewed_fields = (
        "title",
        "summary",
        "body",
        "key_findings",
        "limitations",
        "study_design",
        "population",
        "sample_size",
        "intervention",
        "comparator",
        "evidence_level",
        "grade_certainty",
        "doi",
        "pmid",
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "research summary"
        verbose_name_plural = "research summaries"

    def __str__(self):
        return self.title

    def index_components(self):
        study = [
            self.body_text,
            *self.key_findings,
            self.limitations,
            self.population,
            self.intervention,
            self.comparator,
            self.get_study_design_display(),
            self.citation_title,
            self.citation_authors,
            self.journal,
            str(self.year or ""),
        ]
        return IndexComponents(
            title=self.title,
            summary=self.summary,
            body="\n\n".join(part for part in study if part),
        )

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else None
