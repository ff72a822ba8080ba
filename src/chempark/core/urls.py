from django.urls import path

from chempark.core import views

app_name = "core"
urlpatterns = [
    path("periodic/", views.periodic, name="periodic"),
]
