from django.urls import path

from chempark.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
]
