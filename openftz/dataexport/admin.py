"""The zone administration maintains its negative list and important-data catalogue here (SH-39, SH-40)."""
from django.contrib import admin

from .models import Approval, CatalogueEntry, RecordedTransfer, Reminder, Representative


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(admin.ModelAdmin):
    list_display = ("kind", "sector", "category", "mechanism", "example", "effective_from")
    list_filter = ("kind", "sector", "example")
    search_fields = ("sector", "category")


@admin.register(RecordedTransfer)
class RecordedTransferAdmin(admin.ModelAdmin):
    list_display = ("party", "transferred_on", "personal_info_people", "cumulative_people", "pathway")
    list_filter = ("pathway",)
    readonly_fields = [f.name for f in RecordedTransfer._meta.fields]


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ("user", "party")
    search_fields = ("user__username", "party__id", "party__name_zh")


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    """Read-only: approvals are recorded through the service (validity, reminders and re-filing checks)."""

    list_display = ("party", "kind", "reference", "granted_on", "valid_until", "needs_refiling")
    list_filter = ("kind", "needs_refiling")
    search_fields = ("reference", "party__id")
    readonly_fields = [f.name for f in Approval._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("approval", "kind", "due_on", "created_at")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False
