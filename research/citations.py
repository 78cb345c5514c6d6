"""The citation of a research summary as CSL-JSON, the format reference managers read."""

import re

# "Zarate CA Jr", "Al Jurdi RK", "Berman RM": family name(s), initials, optional suffix.
_VANCOUVER_AUTHOR = re.compile(
    r"^(?P<family>.+?)\s+(?P<initials>[A-Z]{1,4})(?:\s+(?P<suffix>Jr|Sr|II|III|IV))?$"
)
_ET_AL = {"et al", "et al."}


def csl_author(name):
    match = _VANCOUVER_AUTHOR.match(name)
    if not match:
        return {"literal": name}
    author = {"family": match["family"], "given": " ".join(f"{i}." for i in match["initials"])}
    if match["suffix"]:
        author["suffix"] = match["suffix"]
    return author


def cited_authors(authors):
    """Split an author list as cited ("Berman RM, Cappiello A, et al.") into its names."""
    names = (name.strip() for name in authors.split(","))
    return [name for name in names if name and name.lower() not in _ET_AL]


def csl_authors(authors):
    """Parse an author list as cited into CSL names."""
    return [csl_author(name) for name in cited_authors(authors)]


def csl_item(summary):
    item = {
        "id": summary.slug,
        "type": "article-journal",
        "title": summary.citation_title,
        "author": csl_authors(summary.citation_authors),
        "container-title": summary.journal,
        "issued": {"date-parts": [[summary.year]]} if summary.year else None,
        "volume": summary.volume,
        "issue": summary.issue,
        "page": summary.pages,
        "DOI": summary.doi,
        "PMID": summary.pmid,
        "URL": summary.url or summary.doi_url or summary.pubmed_url,
    }
    return {key: value for key, value in item.items() if value}
