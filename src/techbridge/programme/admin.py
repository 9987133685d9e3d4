from django.contrib import admin

from techbridge.programme.models import Activity, Expert, Institution, Participant


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "type"]
    list_filter = ["type", "country"]
    search_fields = ["name"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "type", "start_date", "country", "centre_role", "participants_count"]
    list_filter = ["type", "programme_area", "centre_role", "online"]
    search_fields = ["code", "title", "city"]
    date_hierarchy = "start_date"
    filter_horizontal = ["partners", "participant_countries", "sdgs"]
    list_select_related = ["country"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "organisation"]
    search_fields = ["name", "organisation"]
    filter_horizontal = ["activities"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "activity", "organisation", "country", "stakeholder_type", "gender", "role"]
    list_filter = ["role", "stakeholder_type", "gender"]
    search_fields = ["name", "organisation", "activity__code"]
    list_select_related = ["activity", "country"]
    raw_id_fields = ["activity"]
