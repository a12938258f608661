"""Admin of rooms, opening hours, closures and staff (docs/domain.md, "Resource
centres and bookings"). Closures go through services.closures (refused over live
bookings unless asked to cancel them); posting someone as staff gives them the
centre staff role. Bookings are read only here: they change through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from geo.errors import Forbidden, Refused
from territories.accounts.roles import Role, grant

from .models import Booking, CentreStaff, Closure, Equipment, OpeningHours, Room
from .services import closures


class RoomForm(forms.ModelForm):
    equipment = forms.MultipleChoiceField(
        label=_("оборудование"),
        choices=Equipment.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Room
        fields = [
            "centre",
            "name",
            "capacity",
            "equipment",
            "step_free",
            "accessibility",
            "description",
        ]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    form = RoomForm
    list_display = ("name", "centre", "capacity", "step_free")
    list_filter = ("centre", "step_free")
    search_fields = ("name", "centre__name")


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ("centre", "weekday", "opens", "closes")
    list_filter = ("centre", "weekday")


class ClosureForm(forms.ModelForm):
    cancel_bookings = forms.BooleanField(
        label=_("отменить брони на это время"),
        required=False,
        help_text=_("Иначе закрытие поверх броней не сохраняется."),
    )

    class Meta:
        model = Closure
        fields = ["centre", "room", "starts_at", "ends_at", "reason"]

    def clean(self):
        """The service run here in a savepoint rolled back, so any refusal of it
        (bookings under the closure, a room of another centre, a booking an event
        holds) is shown on the form; it decides again on save."""
        data = super().clean()
        if self.errors:
            return data
        trial = Closure(
            pk=self.instance.pk,
            centre=data["centre"],
            room=data.get("room"),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
        )
        try:
            with transaction.atomic():
                closures.save(
                    trial, by=self.user, cancel_bookings=data.get("cancel_bookings")
                )
                raise TrialOver
        except TrialOver:
            pass
        except (Refused, Forbidden) as refused:
            field = refused.field if refused.field in self.fields else NON_FIELD_ERRORS
            raise ValidationError({field: str(refused)}) from None
        return data


class TrialOver(Exception):
    """Rolls the trial save of ClosureForm.clean back."""


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    form = ClosureForm
    list_display = ("centre", "room", "starts_at", "ends_at", "reason")
    list_filter = ("centre",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        # Checked in the form's clean(); a refusal here is a race lost since.
        try:
            _closure, hit = closures.save(
                obj,
                by=request.user,
                cancel_bookings=form.cleaned_data["cancel_bookings"],
            )
        except Refused as refused:
            messages.error(request, str(refused))
            return
        if hit:
            messages.warning(request, _("Отменено броней: %d.") % len(hit))


@admin.register(CentreStaff)
class CentreStaffAdmin(admin.ModelAdmin):
    list_display = ("centre", "user")
    list_filter = ("centre",)
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        grant(obj.user, Role.CENTRE_STAFF)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("series", "room", "starts_at", "ends_at", "state")
    list_filter = ("state", "room__centre")
    readonly_fields = [f.name for f in Booking._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
