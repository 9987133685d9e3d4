from django.contrib import admin

from techbridge.matching.models import AlertDelivery, AlertSettings, ExpressionOfInterest, IndexChange, SavedSearch


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    list_display = ["id", "profile", "sender", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["profile", "sender", "sender_organisation", "sender_profile", "decided_by"]


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "last_sent_at", "unsubscribed_at"]
    raw_id_fields = ["user"]


admin.site.register(SavedSearch)
admin.site.register(AlertDelivery)
admin.site.register(IndexChange)
