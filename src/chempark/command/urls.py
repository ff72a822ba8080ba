from django.urls import path

from chempark.command import views

app_name = "command"
urlpatterns = [path("screen/", views.screen, name="screen")]
