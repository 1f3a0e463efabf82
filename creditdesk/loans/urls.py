from __future__ import annotations

from django.urls import path

from creditdesk.loans import views

app_name = "loans"

urlpatterns = [
    path("", views.loan_list, name="list"),
    path("<int:pk>/", views.loan_detail, name="detail"),
    path("<int:pk>/repayments/", views.repayment_view, name="repayment"),
    path("<int:pk>/settlement/", views.settlement_view, name="settlement"),
    path("<int:pk>/transactions/<int:transaction_id>/reversal/", views.reversal_request_view, name="reversal"),
    path("<int:pk>/reversals/<int:reversal_id>/decision/", views.reversal_decision_view, name="reversal-decision"),
]
