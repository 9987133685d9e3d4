from django.urls import path

from techbridge.events.views import organiser, participant, public

app_name = "events"
urlpatterns = [
    path("", public.event_list, name="list"),
    path("new/", public.create, name="create"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/edit/", public.edit, name="edit"),
    path("<int:pk>/setup/", public.setup, name="setup"),
    path("<int:pk>/booking-phase/", public.booking_phase, name="booking_phase"),
    path("<int:pk>/register/", participant.register, name="register"),
    path("<int:pk>/me/", participant.registration_edit, name="registration_edit"),
    path("<int:pk>/me/availability/", participant.availability, name="availability"),
    path("<int:pk>/participants/", participant.marketplace, name="marketplace"),
    path("<int:pk>/participants/<int:rid>/", participant.participant, name="participant"),
    path("<int:pk>/participants/<int:rid>/request/", participant.send_request, name="send_request"),
    path("<int:pk>/requests/", participant.request_list, name="requests"),
    path("<int:pk>/requests/<int:qid>/<str:action>/", participant.respond, name="respond"),
    path("<int:pk>/meetings/<int:mid>/", participant.meeting, name="meeting"),
    path("<int:pk>/meetings/<int:mid>/book/", participant.book, name="book"),
    path("<int:pk>/meetings/<int:mid>/outcome/", participant.outcome, name="outcome"),
    path("<int:pk>/meetings/<int:mid>/do/<str:action>/", organiser.meeting_action, name="meeting_action"),
    path("<int:pk>/agenda/", participant.agenda_html, name="agenda"),
    path("<int:pk>/agenda.pdf", participant.agenda_pdf, name="agenda_pdf"),
    path("<int:pk>/agenda.ics", participant.agenda_ics, name="agenda_ics"),
    path("<int:pk>/registrations/", organiser.registration_list, name="registrations"),
    path("<int:pk>/registrations/<int:rid>/<str:action>/", organiser.decide, name="decide"),
    path("<int:pk>/schedule/", organiser.schedule, name="schedule"),
    path("<int:pk>/schedule/run/", organiser.schedule_run, name="schedule_run"),
    path("<int:pk>/schedule/publish/", organiser.schedule_publish, name="schedule_publish"),
    path("<int:pk>/plan/", organiser.table_plan, name="plan"),
    path("<int:pk>/lists/", organiser.lists, name="lists"),
    path("<int:pk>/statistics/", organiser.statistics, name="statistics"),
]
