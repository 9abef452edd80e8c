import pytest
from django.urls import reverse

from network.models import FieldOfWork, PartnerChange
from tests.factories import make_user
from tests.network.factories import make_contact, make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return make_partner("Kulturverein", description="Alt")


def edit_url(partner):
    return reverse("network:partner-edit", kwargs={"slug": partner.slug})


def test_linked_account_edits_entry_and_change_is_logged(client, partner):
    user = make_user("kontakt")
    make_contact(partner, user=user)
    client.force_login(user)
    assert "Eintrag bearbeiten" in client.get(partner.get_absolute_url()).content.decode()
    field = FieldOfWork.objects.get(slug="kultur")
    response = client.post(
        edit_url(partner),
        {
            "description": "Neu",
            "website": "https://kultur.example.org",
            "email": "",
            "phone": "0123",
            "address": "",
            "fields_of_work": [field.pk],
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.description == "Neu" and partner.phone == "0123"
    change = PartnerChange.objects.get()
    assert change.changed_by == user
    assert set(change.changes) == {"description", "website", "phone", "fields_of_work"}
    assert change.changes["description"] == ["Alt", "Neu"]


def test_javascript_website_refused_on_entry_edit(client, partner):
    user = make_user("kontakt")
    make_contact(partner, user=user)
    client.force_login(user)
    response = client.post(
        edit_url(partner), {"description": "Neu", "website": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert "website" in response.context["form"].errors
    assert "Neu</textarea>" in response.content.decode()  # nothing typed is lost
    assert not PartnerChange.objects.exists()


def test_other_accounts_get_403_and_visitors_log_in(client, partner):
    assert client.get(edit_url(partner)).status_code == 302
    client.force_login(make_user("fremd"))
    assert client.get(edit_url(partner)).status_code == 403
    assert client.post(edit_url(partner), {"description": "x"}).status_code == 403


def test_personal_data_export_lists_contact_entries(partner):
    from quartier.personal_data import providers

    user = make_user("kontakt")
    make_contact(partner, user=user, name="Kim")
    provider = next(p for p in providers() if p.key == "network")
    data = provider.export(user)
    assert data["contact_persons"][0]["partner"] == "Kulturverein"
    assert provider.export(make_user("leer")) == {"contact_persons": [], "partner_changes": []}
