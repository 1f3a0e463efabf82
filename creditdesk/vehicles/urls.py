from django.urls import path

from creditdesk.vehicles import views

app_name = "vehicles"

urlpatterns = [
    path("", views.vehicle_list, name="list"),
    path("new/", views.vehicle_new, name="new"),
    path("<int:pk>/", views.vehicle_detail, name="detail"),
    path("<int:pk>/edit/", views.vehicle_edit, name="edit"),
    path("<int:pk>/valuations/new/", views.valuation_new, name="valuation-new"),
    path("<int:pk>/condition-report/", views.condition_report, name="condition-report"),
    path("<int:pk>/condition-report/upload/", views.condition_report_upload, name="condition-report-upload"),
]
