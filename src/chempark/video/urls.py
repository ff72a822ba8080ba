from django.urls import path

from chempark.video import views

app_name = "video"
urlpatterns = [
    path("cameras/", views.camera_list, name="camera-list"),
    path("cameras/<id:pk>/", views.camera_detail, name="camera-detail"),
    path("cameras/<id:pk>/view/", views.camera_view_edit, name="camera-view-edit"),
]
