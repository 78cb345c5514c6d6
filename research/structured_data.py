"""Research summaries as schema.org ScholarlyArticle: the study, as its citation gives it."""

from content.structured_data import creative_work_properties, json_ld
from research.citations import cited_authors


def scholarly_article(summary, request, language):
    """
    Describe the study the summary is about; a citation part not given is left out.

    In a translated answer the summary's `description` and `url` are in `language`; the
    citation (headline, name, authors, journal) is the study's, as published.

    `url` is the summary's own page; the study's DOI (as a https://doi.org link), PubMed
    record and source address are the same work under other addresses.
    """
    identifiers = {"DOI": summary.doi, "PMID": summary.pmid}
    same_as = dict.fromkeys([summary.doi_url, summary.pubmed_url, summary.url])
    # The summary's own dates are not the study's: only its address and subject carry over.
    page = creative_work_properties(summary, request, language)
    return json_ld(
        "ScholarlyArticle",
        inLanguage=page["inLanguage"],
        url=page["url"],
        headline=summary.citation_title,
        name=_name(summary),
        description=summary.summary,
        author=[
            {"@type": "Person", "name": name} for name in cited_authors(summary.citation_authors)
        ],
        datePublished=str(summary.year) if summary.year else None,
        isPartOf={"@type": "Periodical", "name": summary.journal} if summary.journal else None,
        pagination=summary.pages,
        identifier=[
            {"@type": "PropertyValue", "propertyID": scheme, "value": value}
            for scheme, value in identifiers.items()
            if value
        ],
        sameAs=[address for address in same_as if address],
        about=page["about"],
        keywords=page["keywords"],
    )


def _name(summary):
    """
    Name the study by its verified title; without one, by where and when it was published,
    and without those, by the summary's own title: a name always, and never a guessed one.
    """
    if summary.citation_title:
        return summary.citation_title
    if summary.journal:
        return f"Article in {summary.journal}" + (f", {summary.year}" if summary.year else "")
    return summary.title
