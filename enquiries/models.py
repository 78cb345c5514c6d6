"""Consultation enquiries from the website's contact form, the views of them, and spam counts."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from enquiries.crypto import EncryptedTextField, lookup_digest, normalised_email

NAME_MAX_LENGTH = 200
MESSAGE_MAX_LENGTH = 2000
PREFERRED_TIME_MAX_LENGTH = 200
# Personal fields: encrypted at rest, shown only to staff who may view enquiries.
PERSONAL_FIELDS = ("name", "email", "phone", "preferred_time", "message")


class EnquiryQuerySet(models.QuerySet):
    def without_personal_data(self):
        """Leave the encrypted columns unread: lists show none of them."""
        return self.defer(*PERSONAL_FIELDS)

    def past_retention(self, now=None):
        """Enquiries older than ENQUIRY_RETENTION_DAYS, due to be deleted."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.ENQUIRY_RETENTION_DAYS)
        return self.filter(created_at__lt=cutoff)

    def of_person(self, *, email="", phone=""):
        """Enquiries giving this email address or this E.164 phone number."""
        match = Q(pk__in=[])
        if email:
            match |= Q(email_digest=lookup_digest(normalised_email(email)))
        if phone:
            match |= Q(phone_digest=lookup_digest(phone))
        return self.filter(match)


class Enquiry(models.Model):
    class PreferredContact(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        CLOSED = "closed", "Closed"

    # Random, so that ids say nothing about how many enquiries the clinic receives.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = EncryptedTextField()
    email = EncryptedTextField(blank=True)
    email_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(blank=True, help_text="E.164, e.g. +12025550143.")
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    preferred_contact = models.CharField(max_length=5, choices=PreferredContact.choices)
    preferred_time = EncryptedTextField(blank=True)
    condition = models.ForeignKey(
        "taxonomy.Condition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = EncryptedTextField(blank=True)
    privacy_notice_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "enquiries"

    def __str__(self):
        # Never the name: this string appears in admin messages, logs and history.
        return f"Enquiry {str(self.pk)[:8]}"

    def save(self, *args, **kwargs):
        self.email_digest = lookup_digest(normalised_email(self.email)) if self.email else ""
        self.phone_digest = lookup_digest(self.phone) if self.phone else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"email", "phone"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "email_digest", "phone_digest"}
        super().save(*args, **kwargs)


class EnquiryAccess(models.Model):
    """One look at an enquiry's personal data by a member of staff: who, when, which."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        CHANGED = "changed", "Changed status"

    # The enquiry's id, not a foreign key: the record outlives the enquiry's erasure.
    enquiry_id = models.UUIDField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=7, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "enquiry access"
        verbose_name_plural = "enquiry access log"

    def __str__(self):
        return f"{self.username} {self.action} enquiry {str(self.enquiry_id)[:8]} at {self.at:%c}"


class SpamCount(models.Model):
    """How many submissions were discarded as spam on a day, and why: counts, nothing else."""

    class Reason(models.TextChoices):
        HONEYPOT = "honeypot", "Hidden field filled in"
        TOO_FAST = "too_fast", "Sent faster than a person can type"

    day = models.DateField()
    reason = models.CharField(max_length=8, choices=Reason.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "reason"]
        constraints = [models.UniqueConstraint(fields=["day", "reason"], name="one_count_a_day")]

    def __str__(self):
        return f"{self.day}: {self.count} ({self.get_reason_display()})"
