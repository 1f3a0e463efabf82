from django.contrib.auth import views as auth_views
from django.urls import path

from creditdesk.accounts import config_views, views
from creditdesk.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp_verify, name="otp-verify"),
    path("otp/setup/", views.otp_setup, name="otp-setup"),
    path("access-log/", views.access_log, name="access-log"),
    path("access-log/export/", views.access_log_export, name="access-log-export"),
    path("audit/", views.audit_events, name="audit-events"),
    path("history/<str:app_label>/<str:model>/<str:pk>/", views.object_history, name="object-history"),
    path("staff/", views.staff_directory, name="staff"),
    path("disclosures/", views.disclosure_list, name="disclosures"),
    path("disclosures/new/", views.disclosure_new, name="disclosure-new"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="disclosure"),
    path("disclosures/<int:pk>/export/", views.disclosure_download, name="disclosure-export"),
    path("confidentiality/", views.confidentiality, name="confidentiality"),
    path("staff/<int:pk>/unmask/", views.staff_unmask, name="staff-unmask"),
    path("configuration/", config_views.config_changes, name="config-changes"),
    path("configuration/<str:app_label>/<str:model>/<int:pk>/", config_views.config_change, name="config-change"),
]
