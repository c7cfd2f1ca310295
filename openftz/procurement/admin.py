"""Admin of the procurement workflow. Entities and user profiles are maintained here; procedure records are read
only (they change through the workflow, with their audit trail), and deleting one goes through the service, which
refuses and logs it until the SH-81 retention period is over."""
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from openftz.core.errors import OpenFTZError

from . import services
from .models import (AuditEntry, Challenge, ConfidentialItem, Debarment, Debriefing, Exclusion, Procedure, ProcurementProfile,
                     ProcuringEntity, Release)


@admin.register(ProcuringEntity)
class ProcuringEntityAdmin(admin.ModelAdmin):
    list_display = ("id", "name_zh", "name_en", "supervising_entity", "is_demo")
    search_fields = ("id", "name_zh", "name_en")


@admin.register(ProcurementProfile)
class ProcurementProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "entity", "party")
    list_filter = ("role",)


def _delete_through_service(modeladmin, request, queryset):
    deleted = 0
    for obj in queryset:
        try:
            services.record_delete(actor=request.user, obj=obj, via="admin")
            deleted += 1
        except OpenFTZError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message_zh} / {exc.message_en}", messages.ERROR)
    if deleted:
        modeladmin.message_user(request, f"{deleted} deleted", messages.SUCCESS)


_delete_through_service.short_description = _("Delete (only records whose retention period is over)")


class KeptRecordAdmin(admin.ModelAdmin):
    """Read only; deletion only through ``services.record_delete`` (refused and logged while the record is kept)."""

    actions = [_delete_through_service]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        if request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        obj = self.get_object(request, object_id)
        if obj is None:
            return super().delete_view(request, object_id, extra_context)
        try:
            services.record_delete(actor=request.user, obj=obj, via="admin")
        except OpenFTZError as exc:
            self.message_user(request, f"{exc.message_zh} / {exc.message_en}", messages.ERROR)
            return redirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]))
        self.message_user(request, f"{obj} deleted", messages.SUCCESS)
        return redirect(reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist"))


@admin.register(Procedure)
class ProcedureAdmin(KeptRecordAdmin):
    list_display = ("ocid", "title", "entity", "method", "stage", "started_on", "ended_on", "retain_until")
    list_filter = ("method", "stage")
    search_fields = ("ocid", "title", "title_en")


@admin.register(Release)
class ReleaseAdmin(KeptRecordAdmin):
    list_display = ("release_id", "procedure", "date", "tags")


@admin.register(Challenge)
class ChallengeAdmin(KeptRecordAdmin):
    list_display = ("pk", "procedure", "supplier", "status", "late", "filed_on", "deadline", "decided_on")
    list_filter = ("status", "late")


@admin.register(Debriefing)
class DebriefingAdmin(KeptRecordAdmin):
    list_display = ("pk", "procedure", "supplier", "requested_on", "due_on", "answered_on")


@admin.register(ConfidentialItem)
class ConfidentialItemAdmin(KeptRecordAdmin):
    list_display = ("pk", "procedure", "supplier", "text")


@admin.register(Exclusion)
class ExclusionAdmin(KeptRecordAdmin):
    list_display = ("pk", "procedure", "supplier", "debarment", "decided_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(KeptRecordAdmin):
    list_display = ("at", "actor_name", "action", "object_type", "object_id", "ocid", "via")
    list_filter = ("action", "via")


@admin.register(Debarment)
class DebarmentAdmin(admin.ModelAdmin):
    list_display = ("supplier", "entity", "breach_on", "decided_on", "material", "remedied")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
