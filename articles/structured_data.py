"""Mechanism articles as schema.org MedicalWebPage, FAQs as FAQPage."""

from content.structured_data import (
    creative_work_properties,
    json_ld,
    medical_review_properties,
)
from images.structured_data import image_objects


def medical_web_page(article, request, language):
    return json_ld(
        "MedicalWebPage",
        name=article.title,
        headline=article.title,
        description=article.summary,
        image=image_objects(article.image, request),
        **creative_work_properties(article, request, language),
        **medical_review_properties(article),
    )


def faq_page(faq, request, language):
    return json_ld(
        "FAQPage",
        name=faq.question,
        **creative_work_properties(faq, request, language),
        **medical_review_properties(faq),
        mainEntity=[
            {
                "@type": "Question",
                "name": faq.question,
                # Plain text: Google reads only a few HTML tags in an answer.
                "acceptedAnswer": {"@type": "Answer", "text": faq.answer_text},
            }
        ],
    )
