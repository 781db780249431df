from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("media-contacts/", views.MediaContactListView.as_view(), name="media-contacts"),
    path("media-contacts/<int:pk>.vcf", views.vcard, name="vcard"),
]
