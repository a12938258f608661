"""Accounts and verified contacts for the tests of verification and the forum."""

from django.contrib.auth import get_user_model

from geo.requester import Requester
from territories.accounts import roles, verification
from territories.accounts.models import ContactVerification


def resident_account(username="resident"):
    user = get_user_model().objects.create_user(username, "", "secret-Pass-123")
    roles.grant(user, roles.Role.RESIDENT)
    return user


def as_requester(user, ip="198.51.100.7"):
    return Requester(account=user, ip=ip)


def code_of(row):
    """The code the job would send (derived from the row's salt, as the job does)."""
    return verification.code_for(row.salt)


def verify(user, value="+79025550101", channel="phone", ip="198.51.100.7"):
    """Make `user` a person: request a code for the contact and confirm it."""
    by = as_requester(user, ip)
    row = verification.request_code({"channel": channel, "value": value}, by=by)
    return verification.confirm(row.pk, code_of(row), by=by)


def verified_rows():
    return ContactVerification.objects.filter(verified_at__isnull=False)
