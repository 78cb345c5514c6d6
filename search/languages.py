"""
The languages the index holds, and how each one's words are analysed.

A `Language` says which words carry no meaning, how words are stemmed, where wordfreq looks
up how common a word is, which PostgreSQL text search configuration reads the documents, and
whether accents are folded. English keeps the values search was tuned with; Spanish mirrors
PostgreSQL's `spanish` configuration (its stop words, Snowball's stemmer) with accents
folded on both engines, so that "depresion" finds "depresión" and the other way round.
"""

import unicodedata
from dataclasses import dataclass

import Stemmer

# PostgreSQL's English stop words, so that both engines ignore the same words.
ENGLISH_STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such t than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t don
    """.split()
)
# What is left of a contraction split at its apostrophe ("won't", "isn't", "we've"): kept by
# PostgreSQL, but no one searches for it.
ENGLISH_CONTRACTIONS = frozenset(
    """
    aren couldn didn doesn hadn hasn haven isn mustn needn shan shouldn wasn weren won wouldn
    ll re ve d m
    """.split()
)
# PostgreSQL's Spanish stop words (tsearch_data/spanish.stop), as they are written.
SPANISH_STOP_WORDS = frozenset(
    """
    de la que el en y a los del se las por un para con no una su al lo como más pero sus le
    ya o este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien
    desde todo nos durante todos uno les ni contra otros ese eso ante ellos e esto mí antes
    algunos qué unos yo otro otras otra él tanto esa estos mucho quienes nada muchos cual
    poco ella estar estas algunas algo nosotros mi mis tú te ti tu tus ellas nosotras
    vosostros vosostras os mío mía míos mías tuyo tuya tuyos tuyas suyo suya suyos suyas
    nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos esas estoy
    estás está estamos estáis están esté estés estemos estéis estén estaré estarás estará
    estaremos estaréis estarán estaría estarías estaríamos estaríais estarían estaba estabas
    estábamos estabais estaban estuve estuviste estuvo estuvimos estuvisteis estuvieron
    estuviera estuvieras estuviéramos estuvierais estuvieran estuviese estuvieses
    estuviésemos estuvieseis estuviesen estando estado estada estados estadas estad he has
    ha hemos habéis han haya hayas hayamos hayáis hayan habré habrás habrá habremos habréis
    habrán habría habrías habríamos habríais habrían había habías habíamos habíais habían
    hube hubiste hubo hubimos hubisteis hubieron hubiera hubieras hubiéramos hubierais
    hubieran hubiese hubieses hubiésemos hubieseis hubiesen habiendo habido habida habidos
    habidas soy eres es somos sois son sea seas seamos seáis sean seré serás será seremos
    seréis serán sería serías seríamos seríais serían era eras éramos erais eran fui fuiste
    fue fuimos fuisteis fueron fuera fueras fuéramos fuerais fueran fuese fueses fuésemos
    fueseis fuesen sintiendo sentido sentida sentidos sentidas siente sentid tengo tienes
    tiene tenemos tenéis tienen tenga tengas tengamos tengáis tengan tendré tendrás tendrá
    tendremos tendréis tendrán tendría tendrías tendríamos tendríais tendrían tenía tenías
    teníamos teníais tenían tuve tuviste tuvo tuvimos tuvisteis tuvieron tuviera tuvieras
    tuviéramos tuvierais tuvieran tuviese tuvieses tuviésemos tuvieseis tuviesen teniendo
    tenido tenida tenidos tenidas tened
    """.split()
)


def fold_accents(text):
    """The text without accents or other combining marks: "depresión" is "depresion"."""
    return "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )


@dataclass(frozen=True, eq=False)
class Language:
    code: str
    stop_words: frozenset
    # Stop words, and what else is never searched for (English contractions' remains).
    ignored: frozenset
    stemmer: Stemmer.Stemmer
    # wordfreq's language code, for how common a word is.
    wordfreq: str
    # PostgreSQL's text search configuration for the documents and queries (migration 0007).
    ts_config: str
    folds_accents: bool = False

    def stem(self, word):
        return self.stemmer.stemWord(word)

    def fold(self, word):
        return fold_accents(word) if self.folds_accents else word


def _folded(words):
    return frozenset(fold_accents(word) for word in words)


ENGLISH = Language(
    code="en",
    stop_words=ENGLISH_STOP_WORDS,
    ignored=ENGLISH_STOP_WORDS | ENGLISH_CONTRACTIONS,
    # Snowball's English stemmer, the one PostgreSQL's "english" configuration uses.
    stemmer=Stemmer.Stemmer("english"),
    wordfreq="en",
    ts_config="english",
)
# Query words are folded before they are analysed, so the stop words are too: "tambien" is
# never searched for, like "también", which PostgreSQL drops from documents (migration 0007).
SPANISH = Language(
    code="es",
    stop_words=_folded(SPANISH_STOP_WORDS),
    ignored=_folded(SPANISH_STOP_WORDS),
    stemmer=Stemmer.Stemmer("spanish"),
    wordfreq="es",
    ts_config="search_spanish",
    folds_accents=True,
)
LANGUAGES = {language.code: language for language in (ENGLISH, SPANISH)}
