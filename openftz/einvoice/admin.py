"""The zone administration links enterprise users to their parties here (单一窗口企业用户); registrations,
messages and responses are shown read-only — they change only through the services, which write the ledger."""
from django.contrib import admin

from .models import Member, Message, Registration, Response


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("user", "party")
    search_fields = ("user__username", "party__id", "party__name_zh", "party__name_en")
    autocomplete_fields = ("user",)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(_ReadOnly):
    list_display = ("sha256", "kind", "number", "issue_date", "total", "currency", "valid", "registered_at")
    search_fields = ("sha256", "sm3", "number")


@admin.register(Message)
class MessageAdmin(_ReadOnly):
    list_display = ("instance_id", "sender", "receiver", "kind", "number", "message_level", "status", "received_at")
    list_filter = ("message_level", "status", "kind")
    search_fields = ("instance_id", "number", "sender__id", "receiver__id")
    exclude = ("envelope", "payload")


@admin.register(Response)
class ResponseAdmin(_ReadOnly):
    list_display = ("document_id", "message", "kind", "code", "issued_at", "issued_by")
    list_filter = ("kind", "code")
