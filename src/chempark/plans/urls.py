from django.urls import path

from chempark.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("<id:pk>/", views.plan_detail, name="detail"),
    path("<id:pk>/edit/", views.plan_edit, name="edit"),
    path("<id:pk>/<str:action>/", views.plan_action, name="action"),
    path("versions/<id:pk>/file", views.version_file, name="version-file"),
    path("drills/", views.drill_list, name="drills"),
    path("drills/<id:pk>/", views.drill_detail, name="drill"),
    path("compliance/", views.compliance, name="compliance"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("warnings/", views.warning_list, name="warnings"),
    path("warnings/new/", views.warning_new, name="warning-new"),
    path("warnings/<id:pk>/", views.warning_detail, name="warning"),
    path("warnings/feed.atom", views.warning_feed, name="feed"),
    path("cap/<str:identifier>.xml", views.cap_document, name="cap"),
]
