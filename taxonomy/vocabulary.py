"""
The starting vocabulary of search synonyms, seeded once as editor-managed `Synonym` rows.

Two parts: brand names of the medicines that matter to this clinic, drawn from the drug
dictionary of the `drug-named-entity-recognition` package (DrugBank, NHS, MeSH and
MedlinePlus names, MIT licence), each leading one way to its generic name; and a
consumer-health vocabulary, written for this project, linking everyday words and clinical
abbreviations to the clinical terms content uses. Editors change both in the admin.

The brand names are drawn once and kept in `drug_brands.json`, which the seeding migration
reads: a new database gets the same list whatever release of the package is installed, and
no migration spends seconds unpickling the dictionary. `make drug-brands` draws them again;
a test fails when the installed package would draw a different list.
"""

import bz2
import json
import pickle  # nosec B403: the package's own data file, never user input
from importlib.resources import files
from pathlib import Path

from rapidfuzz.distance import Indel
from wordfreq import zipf_frequency

# Generic names by drug class, limited to what patients of a ketamine clinic take or ask about.
DRUG_CLASSES = {
    "antidepressant": """
        sertraline fluoxetine citalopram escitalopram paroxetine fluvoxamine venlafaxine
        desvenlafaxine duloxetine levomilnacipran bupropion mirtazapine trazodone vortioxetine
        vilazodone amitriptyline nortriptyline imipramine clomipramine doxepin phenelzine
        tranylcypromine esketamine brexanolone zuranolone agomelatine
    """,
    "anaesthetic or dissociative": "ketamine propofol midazolam dexmedetomidine lidocaine",
    "analgesic or opioid": """
        morphine oxycodone hydrocodone hydromorphone fentanyl tramadol tapentadol codeine
        methadone buprenorphine naloxone naltrexone acetaminophen ibuprofen naproxen celecoxib
        diclofenac gabapentin pregabalin
    """,
    "benzodiazepine, sleep or anxiety medicine": """
        alprazolam lorazepam diazepam clonazepam temazepam chlordiazepoxide zolpidem zopiclone
        eszopiclone buspirone hydroxyzine
    """,
    "antipsychotic": """
        quetiapine olanzapine risperidone aripiprazole brexpiprazole cariprazine lurasidone
        ziprasidone haloperidol clozapine lumateperone
    """,
    "mood stabiliser": "lithium lamotrigine divalproex carbamazepine oxcarbazepine topiramate",
    "other medicine used around treatment": """
        ondansetron metoclopramide clonidine prazosin propranolol labetalol methylphenidate
        lisdexamfetamine modafinil
    """,
}
BRANDS_PER_DRUG = 6
DRUG_BRANDS = Path(__file__).with_name("drug_brands.json")
# Longer names are chemical ones ("dihydrohydroxycodeinone"), not what a patient types.
MAX_BRAND_CHARS = 16
# A brand name that is also an everyday word ("Special K") would turn that word into a drug.
EVERYDAY_WORD_ZIPF = 4.0


def _dictionary():
    # A development dependency: only drawing the list again needs it.
    path = files("drug_named_entity_recognition") / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(path, "rb") as data:
        return pickle.load(data)  # noqa: S301  # nosec B301: shipped with the package


def _is_brand(name, generic):
    words = name.split()
    return (
        len(name) <= MAX_BRAND_CHARS
        and all(word.isalpha() for word in words)
        and len(words) <= 2
        and generic not in name
        and name[:5] != generic[:5]
        # Foreign and Latin spellings of the generic ("fluoxetina", "fluoxetinum").
        and Indel.normalized_similarity(name, generic) < 0.6
        and max(zipf_frequency(word, "en") for word in words) < EVERYDAY_WORD_ZIPF
    )


def drug_brand_names():
    """Return {generic: [brand names]}, the best-known brands first (by how often they occur)."""
    variants = {}
    for variant, generics in _dictionary()["drug_variant_to_canonical"].items():
        for generic in generics:
            variants.setdefault(generic, []).append(variant)
    brands = {}
    for line in DRUG_CLASSES.values():
        for generic in line.split():
            names = sorted(
                {name for name in variants.get(generic, []) if _is_brand(name, generic)},
                key=lambda name: (-zipf_frequency(name, "en"), name),
            )
            if names:
                brands[generic] = names[:BRANDS_PER_DRUG]
    return brands


def write_drug_brands():
    """Draw the brand names from the installed dictionary into `drug_brands.json`."""
    text = json.dumps(drug_brand_names(), indent=2, ensure_ascii=False)
    DRUG_BRANDS.write_text(text + "\n", encoding="utf-8")


def kept_drug_brands():
    """The brand names as drawn into `drug_brands.json`: {generic: [brand names]}."""
    return json.loads(DRUG_BRANDS.read_text(encoding="utf-8"))


# (term, other names, direction, sense). "to-term": the other names lead to the term only.
# A sense limits an entry to searches that also have one of its words.
CONSUMER_HEALTH = [
    # The body and its functions
    ("gastrointestinal", ["tummy", "stomach", "gut", "belly", "digestive", "GI"], "to-term", []),
    ("nausea", ["feeling sick", "queasy", "sick to my stomach", "upset stomach"], "to-term", []),
    ("vomiting", ["throwing up", "throw up", "being sick", "puking", "vomit"], "to-term", []),
    ("urinary", ["peeing", "pee", "wee", "urine", "passing water"], "to-term", []),
    ("bladder", ["peeing", "pee", "wee"], "to-term", []),
    ("urination", ["peeing", "pee", "weeing"], "to-term", []),
    ("diarrhoea", ["diarrhea", "loose stools", "runs"], "to-term", []),
    ("constipation", ["constipated", "bunged up"], "to-term", []),
    ("cardiovascular", ["heart and blood vessels", "heart"], "to-term", []),
    ("heart rate", ["pulse", "heart racing", "racing heart", "heartbeat", "HR"], "to-term", []),
    ("palpitations", ["heart racing", "pounding heart", "fluttering heart"], "to-term", []),
    ("blood pressure", ["BP", "hypertension"], "both", []),
    ("hypertension", ["high blood pressure"], "both", []),
    ("hypotension", ["low blood pressure"], "both", []),
    ("respiration", ["breathing", "breath"], "to-term", []),
    ("oxygen saturation", ["oxygen level", "sats", "pulse ox"], "to-term", []),
    ("dizziness", ["dizzy", "lightheaded", "light-headed", "woozy"], "to-term", []),
    ("vertigo", ["room spinning", "spinning"], "to-term", []),
    ("headache", ["head pain", "sore head", "head hurts"], "to-term", []),
    ("fatigue", ["tiredness", "exhaustion", "worn out", "no energy"], "to-term", []),
    ("drowsiness", ["sleepy", "sleepiness", "groggy", "drowsy"], "to-term", []),
    ("insomnia", ["sleeplessness", "trouble sleeping", "sleepless nights"], "to-term", []),
    ("appetite", ["hunger", "hungry", "eating"], "to-term", []),
    ("weight", ["weight gain", "weight loss", "putting on weight"], "to-term", []),
    ("cognitive", ["thinking", "memory", "brain fog"], "to-term", []),
    (
        "neuropathic",
        ["nerve pain", "nerve damage", "pins and needles", "burning pain", "tingling"],
        "to-term",
        [],
    ),
    ("paraesthesia", ["pins and needles", "tingling", "numbness"], "to-term", []),
    ("musculoskeletal", ["muscles and joints", "aches"], "to-term", []),
    ("analgesic", ["painkiller", "painkillers", "pain relief", "pain reliever"], "both", []),
    ("anti-emetic", ["anti-sickness", "sickness medicine", "nausea medicine"], "to-term", []),
    ("sedative", ["sedation", "tranquilliser", "tranquillizer", "downer"], "to-term", []),
    ("intravenous", ["IV", "drip"], "both", []),
    ("intramuscular", ["IM", "jab", "shot", "injection into a muscle"], "to-term", []),
    ("sublingual", ["lozenge", "lozenges", "SL"], "to-term", []),
    ("oral", ["PO", "tablet", "tablets", "pill", "pills", "swallowed"], "to-term", []),
    ("subcutaneous", ["SC", "subcut"], "to-term", []),
    # Mind and mood
    (
        "depression",
        ["feeling low", "low mood", "feeling down", "the blues", "depressed"],
        "to-term",
        [],
    ),
    (
        "postnatal depression",
        ["baby blues", "giving birth", "postpartum depression", "PPD"],
        "to-term",
        [],
    ),
    (
        "anhedonia",
        ["no pleasure", "feeling flat", "numb", "nothing feels good", "lost interest"],
        "to-term",
        [],
    ),
    ("anxiety", ["worry", "worrying", "nerves", "panic", "anxious", "edgy"], "to-term", []),
    (
        "suicidal ideation",
        ["suicidal thoughts", "thoughts of suicide", "want to die", "ending my life"],
        "to-term",
        [],
    ),
    ("dissociation", ["out of body", "detached", "floaty", "spaced out", "unreal"], "to-term", []),
    ("hallucination", ["seeing things", "hearing things", "visions"], "to-term", []),
    ("emergence", ["waking up", "coming round", "coming out of it", "wearing off"], "to-term", []),
    ("psychosis", ["losing touch with reality", "paranoia", "hearing voices"], "to-term", []),
    ("mania", ["manic", "hyper", "high mood", "elated", "wired"], "to-term", []),
    ("hypomania", ["hyper", "high mood", "elated"], "to-term", []),
    ("flashback", ["reliving", "flashbacks"], "to-term", []),
    ("nightmare", ["bad dreams", "night terrors", "weird dreams", "vivid dreams"], "to-term", []),
    ("rumination", ["overthinking", "going round in circles", "dwelling"], "to-term", []),
    ("craving", ["cravings", "urges", "hooked"], "to-term", []),
    ("misuse", ["addiction", "addicted", "hooked", "abuse", "recreational"], "to-term", []),
    ("withdrawal", ["coming off", "stopping suddenly", "discontinuation"], "to-term", []),
    ("synaptic", ["brain connections", "rewiring", "rewire", "new connections"], "to-term", []),
    ("neuroplasticity", ["brain rewiring", "rewiring", "rewire", "brain rebuild"], "to-term", []),
    (
        "psychotherapy",
        ["talk therapy", "talking therapy", "counselling", "counseling"],
        "to-term",
        [],
    ),
    (
        "transcranial magnetic stimulation",
        ["TMS", "rTMS", "magnet therapy", "magnetic therapy"],
        "both",
        [],
    ),
    ("electroconvulsive therapy", ["ECT"], "both", []),
    ("cognitive behavioural therapy", ["CBT", "cognitive behavioral therapy"], "both", []),
    ("dialectical behaviour therapy", ["DBT", "dialectical behavior therapy"], "both", []),
    (
        "eye movement desensitisation and reprocessing",
        ["EMDR", "eye movement desensitization"],
        "both",
        [],
    ),
    # Conditions and their abbreviations
    ("major depressive disorder", ["MDD", "major depression", "clinical depression"], "both", []),
    (
        "treatment-resistant depression",
        ["TRD", "treatment resistant depression", "hard to treat depression"],
        "both",
        [],
    ),
    (
        "posttraumatic stress disorder",
        ["PTSD", "post-traumatic stress disorder", "post traumatic stress"],
        "both",
        [],
    ),
    (
        "generalised anxiety disorder",
        ["GAD", "generalized anxiety disorder", "generalised anxiety"],
        "both",
        [],
    ),
    ("obsessive-compulsive disorder", ["OCD", "obsessive compulsive"], "both", []),
    ("attention deficit hyperactivity disorder", ["ADHD", "ADD"], "both", []),
    (
        "alcohol use disorder",
        ["AUD", "alcoholism", "drinking problem", "drinking problems"],
        "to-term",
        [],
    ),
    ("substance use disorder", ["SUD", "drug problem", "drug addiction"], "to-term", []),
    ("opioid use disorder", ["OUD", "opioid addiction"], "to-term", []),
    ("complex regional pain syndrome", ["CRPS", "reflex sympathetic dystrophy", "RSD"], "both", []),
    (
        "bipolar disorder",
        ["BP", "bipolar", "manic depression", "BPAD"],
        "to-term",
        ["mood", "mania", "manic", "depression", "bipolar", "lithium", "disorder"],
    ),
    ("borderline personality disorder", ["BPD", "emotionally unstable personality"], "to-term", []),
    (
        "multiple sclerosis",
        ["MS"],
        "to-term",
        ["nerve", "nerves", "neurological", "relapsing", "ms"],
    ),
    ("urinary tract infection", ["UTI", "water infection", "bladder infection"], "to-term", []),
    ("electrocardiogram", ["ECG", "EKG", "heart tracing"], "both", []),
    (
        "emergency department",
        ["ED", "ER", "A&E", "emergency room", "casualty"],
        "to-term",
        ["emergency", "hospital", "ambulance", "urgent"],
    ),
    (
        "erectile dysfunction",
        ["ED", "impotence"],
        "to-term",
        ["sexual", "sex", "erection", "libido"],
    ),
    # Medicine groups and their abbreviations
    ("selective serotonin reuptake inhibitor", ["SSRI", "SSRIs"], "both", []),
    (
        "serotonin and noradrenaline reuptake inhibitor",
        ["SNRI", "SNRIs", "serotonin norepinephrine reuptake inhibitor"],
        "both",
        [],
    ),
    ("tricyclic antidepressant", ["TCA", "TCAs", "tricyclics"], "both", []),
    ("monoamine oxidase inhibitor", ["MAOI", "MAOIs"], "both", []),
    ("nonsteroidal anti-inflammatory", ["NSAID", "NSAIDs", "anti-inflammatories"], "both", []),
    ("benzodiazepine", ["benzo", "benzos", "nerve pills"], "to-term", []),
    ("opioid", ["opiate", "opiates", "narcotic", "narcotics"], "to-term", []),
    ("antipsychotic", ["major tranquilliser"], "to-term", []),
    ("mood stabiliser", ["mood stabilizer", "mood stabilisers", "mood stabilizers"], "both", []),
    ("anaesthetic", ["anesthetic", "general anaesthetic", "being put under"], "to-term", []),
    ("brain-derived neurotrophic factor", ["BDNF"], "both", []),
    ("N-methyl-D-aspartate", ["NMDA"], "both", []),
    ("intensive care", ["ICU", "intensive care unit"], "both", []),
    # Treatment words and practical matters
    (
        "fasting",
        ["fast", "empty stomach", "nothing to eat", "nil by mouth"],
        "to-term",
        ["eat", "eating", "food", "meal", "drink", "before", "stomach", "breakfast"],
    ),
    ("breastfeeding", ["breast feeding", "nursing", "breastfeed"], "both", []),
    (
        "adolescent",
        ["teenager", "teenagers", "teen", "teens", "young people", "kids"],
        "to-term",
        [],
    ),
    ("older adults", ["elderly", "seniors", "older people", "pensioners"], "to-term", []),
    ("referral", ["refer", "referred", "doctor's letter"], "to-term", []),
    ("infusion", ["session", "treatment session", "drip"], "to-term", []),
]


def seed_vocabulary(synonym_model):
    """
    Add the vocabulary to the synonym list (a migration's historical model or the real one).
    A term that is already listed is left as editors have it.
    """
    entries = [
        (generic, brands, "to-term", []) for generic, brands in kept_drug_brands().items()
    ] + CONSUMER_HEALTH
    for term, other_names, direction, sense in entries:
        synonym_model.objects.get_or_create(
            term=term,
            defaults={"other_names": other_names, "direction": direction, "sense": sense},
        )
