from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("media-contacts/", views.MediaContactListView.as_view(), name="media-contacts"),
    path("media-contacts/<int:pk>.vcf", views.vcard, name="vcard"),
]
