from django.urls import path

from chempark.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("audit/", views.audit_page, name="audit"),
    path("audit/export.xlsx", views.audit_export, name="audit-export"),
    path("users/", views.users_page, name="users"),
    path("users/<id:user_id>/", views.user_page, name="user"),
    path("password/", views.password_page, name="password"),
    path("users/<id:user_id>/lock/", views.lock_user_page, {"lock": True}, name="lock-user"),
    path("users/<id:user_id>/unlock/", views.lock_user_page, {"lock": False}, name="unlock-user"),
    path("tokens/<id:token_id>/revoke/", views.revoke_token_page, name="revoke-token"),
]
