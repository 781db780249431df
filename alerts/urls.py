from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("alerts/", views.SubscribeView.as_view(), name="subscribe"),
    path("alerts/check-your-inbox/", views.sent, name="sent"),
    path("alerts/confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("alerts/preferences/<str:token>/", views.PreferencesView.as_view(), name="preferences"),
    path("alerts/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path(
        "events/<slug:slug>/accreditation/",
        views.AccreditationView.as_view(),
        name="accreditation",
    ),
    path(
        "events/<slug:slug>/accreditation/received/",
        views.accreditation_received,
        name="accreditation-received",
    ),
]
