"""How hard a text is to read, measured with textstat: what editors aim below."""

import textstat


def measure(text):
    """
    Return the readability figures of plain text, those that need words None without any.

    The Flesch-Kincaid grade is the US school grade a reader needs (lower is easier); the
    Flesch reading ease runs from about 0 (very hard) to 100 (very easy).
    """
    words = textstat.lexicon_count(text or "")
    if not words:
        return {
            "grade": None,
            "reading_ease": None,
            "sentences": 0,
            "words": 0,
            "long_word_share": None,
        }
    return {
        "grade": round(textstat.flesch_kincaid_grade(text), 1),
        "reading_ease": round(textstat.flesch_reading_ease(text), 1),
        "sentences": textstat.sentence_count(text),
        "words": words,
        # Long words: of more than six letters.
        "long_word_share": round(textstat.long_word_count(text) / words, 3),
    }
