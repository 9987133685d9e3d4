from django.contrib import admin

from techbridge.funding.models import Contribution


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["year", "member_state", "kind", "amount_usd", "date", "reference"]
    list_filter = ["year", "kind"]
    search_fields = ["member_state__name", "reference", "note"]
    list_select_related = ["member_state"]
