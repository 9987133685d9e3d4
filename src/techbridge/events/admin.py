"""Read-mostly admin for events: placements and states change through the services (web pages, API)."""

from django.contrib import admin

from techbridge.events.models import Event, Meeting, MeetingRequest, ParticipationType, Registration, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    readonly_fields = ["starts_at", "ends_at"]


class ParticipationTypeInline(admin.TabularInline):
    model = ParticipationType
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "city", "published", "booking_open"]
    list_filter = ["published", "booking_open"]
    search_fields = ["name", "city"]
    filter_horizontal = ["organisers"]
    readonly_fields = ["meeting_minutes", "schedule_published_at"]
    inlines = [SessionInline, ParticipationTypeInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "event", "status", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["user__email", "organisation__name"]
    readonly_fields = ["event", "user", "organisation", "status", "created_at", "decided_at"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["requester", "recipient", "event", "status", "mutual", "created_at"]
    list_filter = ["status", "mutual", "event"]
    readonly_fields = ["event", "requester", "recipient", "status", "mutual", "created_at", "responded_at"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "slot", "table", "locked", "published", "attendance", "outcome"]
    list_filter = ["event", "published", "attendance", "outcome"]
    readonly_fields = ["event", "request", "slot", "table", "locked", "published"]
