"""Writes on enquiries: submission, staff notification, status, spam counts, purge and erasure."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from enquiries.models import Enquiry, EnquiryAccess, SpamCount

# Log lines here name enquiries by id and count them; they never hold what a person wrote.
logger = logging.getLogger(__name__)


@sensitive_variables()
def enquiry_create(*, admin_url_for, **fields):
    """
    Save an enquiry and, once it is committed, tell the clinic's staff by email.

    `admin_url_for(pk)` gives the absolute address of its page in the admin.
    """
    with transaction.atomic():
        enquiry = Enquiry.objects.create(consented_at=timezone.now(), **fields)
        admin_url = admin_url_for(enquiry.pk)
        transaction.on_commit(lambda: enquiry_notify_staff(admin_url=admin_url))
    logger.info("Enquiry received", extra={"enquiry": str(enquiry.pk)})
    return enquiry


def enquiry_notify_staff(*, admin_url):
    """Email ENQUIRY_NOTIFY_EMAILS a link to the enquiry in the admin, and nothing of it."""
    if not settings.ENQUIRY_NOTIFY_EMAILS:
        return
    try:
        send_mail(
            subject="New consultation enquiry",
            message=(
                "A new consultation enquiry came in through the website.\n\n"
                f"Open it in the admin (staff allowed to view enquiries only):\n{admin_url}\n\n"
                "This email holds none of what the person wrote. Please do not copy their "
                "details into email."
            ),
            from_email=None,
            recipient_list=settings.ENQUIRY_NOTIFY_EMAILS,
        )
    except Exception as error:
        # The enquiry is saved: a mail server that does not answer must not lose it.
        logger.warning("Enquiry notification not sent: %s", type(error).__name__)


def spam_count_increment(*, reason):
    """Count one discarded submission; safe when two are counted at once."""
    day = timezone.now().date()
    counted = SpamCount.objects.filter(day=day, reason=reason).update(count=F("count") + 1)
    if not counted:
        try:
            with transaction.atomic():
                SpamCount.objects.create(day=day, reason=reason, count=1)
        except IntegrityError:
            # Another request created today's row first.
            SpamCount.objects.filter(day=day, reason=reason).update(count=F("count") + 1)
    logger.info("Enquiry discarded as spam", extra={"reason": reason})


def enquiry_access_record(*, enquiry_id, user, action):
    EnquiryAccess.objects.create(
        enquiry_id=enquiry_id, user=user, username=user.get_username(), action=action
    )


def enquiries_mark(*, enquiries, status, user):
    """Set the status of these enquiries, recording who did and when; return how many."""
    with transaction.atomic():
        ids = list(enquiries.values_list("pk", flat=True))
        changed = Enquiry.objects.filter(pk__in=ids).update(
            status=status, status_changed_at=timezone.now(), status_changed_by=user
        )
        EnquiryAccess.objects.bulk_create(
            EnquiryAccess(
                enquiry_id=pk,
                user=user,
                username=user.get_username(),
                action=EnquiryAccess.Action.CHANGED,
            )
            for pk in ids
        )
    return changed


def enquiries_purge(*, now=None):
    """
    Delete every enquiry older than ENQUIRY_RETENTION_DAYS; return how many.

    Run daily by the worker (enquiries.tasks.purge_enquiries), or `manage.py purge_enquiries`.
    """
    deleted, _ = Enquiry.objects.past_retention(now).delete()
    logger.info("Enquiries past retention deleted", extra={"deleted": deleted})
    return deleted


@sensitive_variables()
def enquiries_erase(*, email="", phone=""):
    """Delete every enquiry giving this email address or E.164 phone number; return how many."""
    deleted, _ = Enquiry.objects.of_person(email=email, phone=phone).delete()
    logger.info("Enquiries erased on request", extra={"deleted": deleted})
    return deleted


def enquiries_reencrypt():
    """
    Encrypt every enquiry again with the newest key and hash it with the current lookup key.

    Each row is read (any listed key decrypts it) and written back in its own short
    transaction, locked meanwhile, so staff can keep working while it runs.
    """
    done = 0
    # The ids first: a few months of enquiries at most, as retention deletes the rest.
    for pk in list(Enquiry.objects.values_list("pk", flat=True)):
        with transaction.atomic():
            enquiry = Enquiry.objects.select_for_update().filter(pk=pk).first()
            if enquiry is not None:
                enquiry.save(update_fields=["name", "email", "phone", "preferred_time", "message"])
                done += 1
    return done
