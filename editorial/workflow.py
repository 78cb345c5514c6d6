"""
The editorial workflow: the states an entry passes through and the moves allowed between them.

This is the one definition: the admin's actions and state field, the write API and the
services all ask it. Importing and restoring old versions set states directly: they reproduce
a state, they do not move an entry.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from content.models import Status
from publishing.models import TranslationStatus


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: frozenset
    target: str


MOVES = (
    Move(
        "submit_for_review",
        "Submit for medical review",
        frozenset({Status.DRAFT}),
        Status.IN_REVIEW,
    ),
    Move(
        "publish",
        "Publish (now, or at the set date)",
        frozenset({Status.IN_REVIEW}),
        Status.PUBLISHED,
    ),
    Move(
        "return_to_draft",
        "Return to draft (unpublish, reopen)",
        frozenset({Status.IN_REVIEW, Status.PUBLISHED, Status.ARCHIVED}),
        Status.DRAFT,
    ),
    Move(
        "archive",
        "Archive",
        frozenset({Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED}),
        Status.ARCHIVED,
    ),
)
MOVES_BY_NAME = {move.name: move for move in MOVES}

# A new entry starts as a draft, or goes straight to review; it is never created published.
INITIAL_STATES = (Status.DRAFT, Status.IN_REVIEW)


def allowed_targets(state):
    """Return the states an entry in `state` may move to, in the order of Status."""
    targets = {move.target for move in MOVES if state in move.sources}
    return [status for status in Status if status in targets]


def check_move(source, target):
    """Raise ValidationError on `status` unless an entry may go from `source` to `target`."""
    if source is None:
        if target not in INITIAL_STATES:
            names = " or ".join(f"'{state}'" for state in INITIAL_STATES)
            message = f"A new entry starts as {names}, not '{target}'."
            raise ValidationError({"status": ValidationError(message, code="invalid_move")})
    elif source != target and target not in allowed_targets(source):
        allowed = ", ".join(f"'{state}'" for state in allowed_targets(source)) or "nothing"
        message = f"An entry in '{source}' can move to {allowed}, not to '{target}'."
        # The code travels with the message (a dict's own code is dropped): it makes a 409.
        raise ValidationError({"status": ValidationError(message, code="invalid_move")})


# A translation's own workflow (publishing.models.Translation): no archive, no schedule; it is
# served while its entry is public and it is published.
TRANSLATION_MOVES = {
    TranslationStatus.DRAFT: {TranslationStatus.IN_REVIEW},
    TranslationStatus.IN_REVIEW: {TranslationStatus.DRAFT, TranslationStatus.PUBLISHED},
    TranslationStatus.PUBLISHED: {TranslationStatus.DRAFT, TranslationStatus.IN_REVIEW},
}


def check_translation_move(source, target):
    """Raise ValidationError on `status` unless a translation may go from `source` to `target`."""
    if target not in TRANSLATION_MOVES[source]:
        allowed = ", ".join(f"'{state}'" for state in sorted(TRANSLATION_MOVES[source]))
        message = f"A translation in '{source}' can move to {allowed}, not to '{target}'."
        raise ValidationError({"status": ValidationError(message, code="invalid_move")})
