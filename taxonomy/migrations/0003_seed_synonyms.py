"""A starting list of medical and lay synonyms; editors keep it up to date in the admin."""

from django.db import migrations

SYNONYMS = {
    "esketamine": ["Spravato", "esketamine nasal spray", "intranasal esketamine"],
    "ketamine": ["Ketalar"],
    "intravenous": ["IV"],
    "intranasal": ["nasal spray"],
    "nasal": ["nose"],
    "electroconvulsive therapy": ["ECT", "electroshock therapy", "shock therapy"],
    "hallucination": ["hallucinate", "hallucinations", "dissociation", "dissociative", "trip"],
    "cost": ["price", "fees", "how much", "pay for"],
    "fast": ["quickly", "rapid", "rapidly", "how soon", "speed"],
    "addiction": ["addictive", "dependence", "misuse", "abuse"],
    "SSRI": ["selective serotonin reuptake inhibitor", "SSRIs"],
    "FDA": ["Food and Drug Administration", "FDA approved", "FDA-approved"],
    "randomised controlled trial": ["randomized controlled trial", "RCT"],
    "meta-analysis": ["metaanalysis", "meta analysis"],
    "randomised": ["randomized"],
    "anaesthesia": ["anesthesia"],
    "anaesthetic": ["anesthetic"],
    "signalling": ["signaling"],
    "driving": ["drive"],
    "pregnancy": ["pregnant", "breastfeeding"],
    "antidepressant": ["antidepressants", "antidepressant medication"],
}


def seed(apps, schema_editor):
    Synonym = apps.get_model("taxonomy", "Synonym")
    for term, other_names in SYNONYMS.items():
        Synonym.objects.get_or_create(term=term, defaults={"other_names": other_names})


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0002_synonym")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
