from django.urls import path

from chempark.video import views

app_name = "video"
urlpatterns = [
    path("cameras/", views.camera_list, name="camera-list"),
    path("cameras/<id:pk>/", views.camera_detail, name="camera-detail"),
]
