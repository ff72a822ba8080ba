from django.urls import path

from chempark.dashboard import views

app_name = "dashboard"
urlpatterns = [path("", views.onemap, name="onemap")]
