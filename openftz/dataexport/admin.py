"""The zone administration maintains its negative list and important-data catalogue here (SH-39, SH-40)."""
from django.contrib import admin

from .models import CatalogueEntry, RecordedTransfer


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
