from django.contrib import admin

from techbridge.exchange.models import Attachment, Profile


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["name", "content_type", "size", "uploaded_at"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "title", "country", "status", "published_at", "expires_at"]
    list_filter = ["kind", "status", "country"]
    search_fields = ["reference", "title", "summary"]
    readonly_fields = [
        "reference",
        "status",
        "created_at",
        "updated_at",
        "submitted_at",
        "validated_at",
        "validated_by",
        "published_at",
    ]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["sectors", "sdgs", "partnership_types", "target_countries"]
    inlines = [AttachmentInline]
    list_select_related = ["country"]
