from django.urls import path

from techbridge.periodical import staff_views, views

app_name = "periodical"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("feed.atom", views.feed, name="feed"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("articles/<int:pk>/pdf/", views.article_pdf, name="article_pdf"),
    path("publications/", views.publications, name="publications"),
    path("publications/<int:pk>/file/", views.publication_file, name="publication_file"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/sent/", views.subscribe_sent, name="subscribe_sent"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscription/<str:token>/", views.manage, name="manage"),
    path("subscription/<str:token>/export.json", views.export, name="export"),
    path("subscription/<str:token>/delete/", views.delete, name="delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("o/<str:token>/", views.opened, name="opened"),
    path("staff/", staff_views.dashboard, name="staff_dashboard"),
    path("staff/subscribers/", staff_views.subscribers, name="staff_subscribers"),
    path("staff/subscribers/import/", staff_views.subscriber_import_view, name="staff_subscriber_import"),
    path("staff/mailings/", staff_views.mailing_list, name="staff_mailings"),
    path("staff/mailings/new/", staff_views.mailing_create, name="staff_mailing_create"),
    path("staff/mailings/<int:pk>/", staff_views.mailing_detail, name="staff_mailing"),
    path("staff/mailings/<int:pk>/progress/", staff_views.mailing_progress, name="staff_mailing_progress"),
    path("staff/mailings/<int:pk>/preview/", staff_views.mailing_preview, name="staff_mailing_preview"),
    path("staff/mailings/<int:pk>/test/", staff_views.mailing_test, name="staff_mailing_test"),
    path("staff/mailings/<int:pk>/send/", staff_views.mailing_send, name="staff_mailing_send"),
    path("staff/mailings/<int:pk>/outbox/<int:row_id>/", staff_views.outbox_resolve, name="staff_outbox_resolve"),
]
