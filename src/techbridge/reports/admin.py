from django.contrib import admin

from techbridge.reports.models import NarrativeOverride


@admin.register(NarrativeOverride)
class NarrativeOverrideAdmin(admin.ModelAdmin):
    list_display = ["year", "key", "updated_by", "updated_at"]
    list_filter = ["year"]
    search_fields = ["key", "text"]
    readonly_fields = ["updated_by", "updated_at"]
