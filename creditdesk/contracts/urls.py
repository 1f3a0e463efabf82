from __future__ import annotations

from django.urls import path

from creditdesk.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("plans/<int:plan_id>/generate/", views.contract_generate_view, name="generate"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/pdf/", views.contract_pdf, name="pdf"),
    path("<int:pk>/submit/", views.contract_submit_view, name="submit"),
    path("<int:pk>/cancel/", views.contract_cancel_view, name="cancel"),
    path("<int:pk>/review/", views.contract_review_view, name="review"),
    path("<int:pk>/key-terms/", views.key_terms_view, name="key-terms"),
    path("<int:pk>/sign/", views.contract_sign_view, name="sign"),
    path("<int:pk>/mortgage/register/", views.mortgage_register_view, name="mortgage-register"),
]
