"""How hard a text is to read, measured with textstat: what editors aim below."""

from textstat.textstat import textstatistics


def _statistics(language):
    statistics = textstatistics()
    statistics.set_lang(language)
    return statistics


# One textstat per language: its language is the instance's state, so measures never share it.
STATISTICS = {"en": _statistics("en_US"), "es": _statistics("es")}


def measure(text, language="en"):
    """
    Return the readability figures of plain text in `language`, those that need words None
    without any.

    In English, the Flesch-Kincaid grade is the US school grade a reader needs (lower is
    easier) and the Flesch reading ease runs from about 0 (very hard) to 100 (very easy). In
    Spanish, their counterparts made for Spanish: Crawford's years of schooling, and
    Fernández Huerta's ease, on the same 0 to 100 scale (textstat's `es`).
    """
    statistics = STATISTICS[language]
    words = statistics.lexicon_count(text or "")
    if not words:
        return {
            "grade": None,
            "reading_ease": None,
            "sentences": 0,
            "words": 0,
            "long_word_share": None,
        }
    grade = statistics.crawford if language == "es" else statistics.flesch_kincaid_grade
    return {
        "grade": round(grade(text), 1),
        "reading_ease": round(statistics.flesch_reading_ease(text), 1),
        "sentences": statistics.sentence_count(text),
        "words": words,
        # Long words: of more than six letters.
        "long_word_share": round(statistics.long_word_count(text) / words, 3),
    }
