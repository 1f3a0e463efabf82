from django.urls import path

from creditdesk.customers import picker, subject_request_views, views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_new, name="new"),
    path("<int:pk>/", views.customer_detail, name="detail"),
    path("<int:pk>/edit/", views.customer_edit, name="edit"),
    path("<int:pk>/unmask/", views.customer_unmask, name="unmask"),
    path("<int:pk>/consents/new/", views.authorization_new, name="consent-new"),
    path("<int:pk>/record/<str:kind>/", views.customer_record, name="record"),
    path("<int:pk>/documents/<int:doc_pk>/", views.document_download, name="document"),
    path("refresh-due/", views.refresh_due, name="refresh-due"),
    path("search/", picker.customer_search, name="search"),
    path("access-requests/", views.access_requests, name="access-requests"),
    path("subject-requests/", subject_request_views.request_list, name="subject-requests"),
    path("subject-requests/new/", subject_request_views.request_new, name="subject-request-new"),
    path("subject-requests/<int:pk>/", subject_request_views.request_detail, name="subject-request"),
    path("subject-requests/<int:pk>/copy/", subject_request_views.request_copy, name="subject-request-copy"),
    path("subject-requests/<int:pk>/<str:step>/", subject_request_views.request_step, name="subject-request-step"),
    path("access-requests/new/", views.access_request_new, name="access-request-new"),
    path("leads/", views.lead_board, name="leads"),
    path("leads/new/", views.lead_new, name="lead-new"),
    path("leads/<int:pk>/", views.lead_detail, name="lead"),
    path("partners/", views.partner_list, name="partners"),
    path("partners/new/", views.partner_edit, name="partner-new"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner-edit"),
    path("performance/", views.performance, name="performance"),
    path("registries/<str:kind>/", views.registry, name="registry"),
]
