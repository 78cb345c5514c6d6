"""
Enquiries in the admin: only for staff allowed to view them, each look recorded, the status
the one thing staff change.
"""

import pytest
from django.test import Client

from enquiries.models import Enquiry, EnquiryAccess, SpamCount
from enquiries.services import spam_count_increment
from tests.conftest import make_user
from tests.test_enquiries_privacy import make_enquiry

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/enquiries/enquiry/"


def change_page(enquiry):
    return f"{CHANGELIST}{enquiry.pk}/change/"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def enquiry():
    return make_enquiry(name="Zoë Ørsted", email="zoe@example.com", message="Call me, please.")


@pytest.fixture
def viewer():
    return make_user("receptionist", permissions=[("enquiries", "view_enquiry")])


@pytest.fixture
def handler():
    return make_user(
        "coordinator",
        permissions=[("enquiries", "view_enquiry"), ("enquiries", "change_enquiry")],
    )


def test_staff_without_the_permission_see_no_enquiry(enquiry, editor):
    client = logged_in(editor)
    assert client.get(CHANGELIST).status_code == 403
    response = client.get(change_page(enquiry))
    assert response.status_code == 403
    assert "Zoë" not in response.content.decode()
    assert "Consultation enquiries" not in client.get("/admin/").content.decode()
    assert not EnquiryAccess.objects.exists()


def test_the_change_permission_alone_does_not_show_enquiries(enquiry):
    user = make_user("changer", permissions=[("enquiries", "change_enquiry")])
    client = logged_in(user)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_page(enquiry)).status_code == 403
    assert not EnquiryAccess.objects.exists()


def test_the_list_shows_no_personal_data(enquiry, viewer):
    response = logged_in(viewer).get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert str(enquiry.pk)[:8] in page
    for personal in ("Zoë", "zoe@example.com", "+12025550143", "Call me"):
        assert personal not in page
    assert not EnquiryAccess.objects.exists()


def test_each_view_of_an_enquiry_is_recorded_who_and_when(enquiry, viewer):
    client = logged_in(viewer)
    first = client.get(change_page(enquiry))
    assert first.status_code == 200
    page = first.content.decode()
    for personal in ("Zoë Ørsted", "zoe@example.com", "+12025550143", "Call me, please."):
        assert personal in page
    client.get(change_page(enquiry))
    accesses = list(EnquiryAccess.objects.order_by("at"))
    assert [(a.username, a.action, a.enquiry_id) for a in accesses] == [
        ("receptionist", "viewed", enquiry.pk),
        ("receptionist", "viewed", enquiry.pk),
    ]
    assert accesses[0].at <= accesses[1].at
    # The page shows who looked before.
    assert "receptionist viewed" in client.get(change_page(enquiry)).content.decode()


def test_a_viewer_cannot_change_the_status(enquiry, viewer):
    response = logged_in(viewer).post(change_page(enquiry), {"status": "closed"})
    assert response.status_code == 403
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.NEW


def test_staff_mark_an_enquiry_contacted_and_that_is_recorded(enquiry, handler):
    response = logged_in(handler).post(change_page(enquiry), {"status": "contacted"})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.CONTACTED
    assert enquiry.status_changed_by == handler
    assert enquiry.status_changed_at is not None
    # The status alone was written: the personal fields are as they were.
    assert (enquiry.name, enquiry.message) == ("Zoë Ørsted", "Call me, please.")
    assert EnquiryAccess.objects.filter(action="changed", username="coordinator").count() == 1


def test_staff_close_several_enquiries_from_the_list(enquiry, handler):
    other = make_enquiry()
    response = logged_in(handler).post(
        CHANGELIST,
        {"action": "mark_closed", "_selected_action": [str(enquiry.pk), str(other.pk)]},
    )
    assert response.status_code == 302
    assert set(Enquiry.objects.values_list("status", flat=True)) == {"closed"}
    assert EnquiryAccess.objects.filter(action="changed").count() == 2


def test_nobody_adds_enquiries_in_the_admin(superuser):
    assert logged_in(superuser).get(f"{CHANGELIST}add/").status_code == 403


def test_the_access_log_and_spam_counts_are_read_only(enquiry, superuser):
    client = logged_in(superuser)
    client.get(change_page(enquiry))
    spam_count_increment(reason=SpamCount.Reason.HONEYPOT)
    log = client.get("/admin/enquiries/enquiryaccess/")
    assert log.status_code == 200
    assert "admin" in log.content.decode()
    access = EnquiryAccess.objects.get()
    assert client.get(f"/admin/enquiries/enquiryaccess/{access.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/enquiries/enquiryaccess/{access.pk}/change/", {"username": "someone-else"}
    )
    assert response.status_code == 403
    assert client.get("/admin/enquiries/enquiryaccess/add/").status_code == 403
    assert client.post(f"/admin/enquiries/enquiryaccess/{access.pk}/delete/").status_code == 403
    counts = client.get("/admin/enquiries/spamcount/")
    assert counts.status_code == 200
    assert "Hidden field filled in" in counts.content.decode()


def test_the_access_log_outlives_an_erased_enquiry(enquiry, viewer):
    logged_in(viewer).get(change_page(enquiry))
    erased = enquiry.pk
    enquiry.delete()
    assert EnquiryAccess.objects.get().enquiry_id == erased
