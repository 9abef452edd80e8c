"""What funds know about an account (quartier.personal_data)."""

from .models import FundApplication, Membership


def export(user):
    return {
        "fund_applications": [
            {
                "fund": str(application.fund),
                "title": application.title,
                "description": application.description,
                "applicant_name": application.applicant_name,
                "organisation": application.organisation,
                "email": application.email,
                "requested_amount": str(application.requested_amount),
                "approved_amount": str(application.approved_amount or ""),
                "status": application.status,
                "created_at": application.created_at.isoformat(),
            }
            for application in FundApplication.objects.filter(user=user).select_related("fund")
        ],
        "body_memberships": [
            {
                "body": membership.body.name,
                "role": membership.role,
                "term_start": membership.term_start.isoformat(),
            }
            for membership in Membership.objects.filter(user=user).select_related("body")
        ],
    }


def anonymise(user):
    """Applications are records of public money and stay; they lose the link to the account."""
    FundApplication.objects.filter(user=user).update(user=None)
    Membership.objects.filter(user=user).update(user=None)
