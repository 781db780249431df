from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("media/images/<int:pk>/<str:variant>", views.image_file, name="image"),
    path("media/documents/<int:pk>/<str:name>", views.document_file, name="document"),
]
