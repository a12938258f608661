"""Renormalise stored contacts with the rules of verification.normal_email /
normal_phone (NFKC, IDNA domain, no quoted local parts or address literals), so
that the unique index `contact_verified_once` sees spellings of one mailbox as one
contact (docs/domain.md, "Verified persons").

Where two verified rows now name the same contact, the earliest verified keeps it
and the others lose their verification (verified_at cleared; their accounts must
verify another contact). A verified row whose value can no longer be accepted
(quoted local part, address literal) loses its verification the same way; an
unverified row of either kind is expired so its code cannot be confirmed.

The normalisers are copied here: a migration must not change when the app does."""

import re
import unicodedata

from django.db import migrations


def _email(value):
    email = unicodedata.normalize("NFKC", value).strip()
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain:
        return None
    if '"' in local or "\\" in local or domain.startswith("["):
        return None
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return f"{local}@{domain}".lower()


def _phone(value):
    digits = re.sub(r"[\s().-]", "", unicodedata.normalize("NFKC", value))
    if re.fullmatch(r"\+7[0-9]{10}", digits):
        return digits
    if re.fullmatch(r"[78][0-9]{10}", digits):
        return "+7" + digits[1:]
    if re.fullmatch(r"9[0-9]{9}", digits):
        return "+7" + digits
    return None


def renormalise(apps, schema_editor):
    from django.utils import timezone

    ContactVerification = apps.get_model("accounts", "ContactVerification")
    now = timezone.now()
    kept = set()
    updates = []
    rows = list(ContactVerification.objects.all())
    # Verified rows first, earliest first, so the earliest keeps a shared contact.
    rows.sort(key=lambda r: (r.verified_at is None, r.verified_at or now, r.pk))
    for row in rows:
        normal = (_email if row.channel == "email" else _phone)(row.value)
        fields = {}
        if normal is None:
            if row.verified_at is not None:
                fields["verified_at"] = None
            elif row.used_at is None:
                fields["expires_at"] = now
        else:
            if normal != row.value:
                fields["value"] = normal
            if row.verified_at is not None:
                if (row.channel, normal) in kept:
                    fields["verified_at"] = None
                else:
                    kept.add((row.channel, normal))
        if fields:
            updates.append((row.pk, fields))
    # Unverifications first, so the unique index never sees two at once.
    updates.sort(key=lambda update: "verified_at" not in update[1])
    for pk, fields in updates:
        ContactVerification.objects.filter(pk=pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_contact_verification")]

    operations = [migrations.RunPython(renormalise, migrations.RunPython.noop)]
