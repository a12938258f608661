from django.contrib import admin

from .models import ContactVerification, SmsMessage


@admin.register(ContactVerification)
class ContactVerificationAdmin(admin.ModelAdmin):
    # Staff see who verified what (to help a resident); codes are never stored.
    list_display = ("account", "channel", "value", "created_at", "verified_at")
    list_filter = ("channel",)
    search_fields = ("account__username", "value")
    readonly_fields = ("salt", "code_hash", "attempts", "used_at", "verified_at")


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ("phone", "created_at")
