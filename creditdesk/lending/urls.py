from django.urls import path

from creditdesk.lending import plan_views, views

app_name = "lending"

urlpatterns = [
    path("quote/", views.quote_calculator, name="quote"),
    path("plans/", plan_views.plan_list, name="plan-list"),
    path("applications/<int:application_id>/plan/", plan_views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/submit/", plan_views.plan_submit_view, name="plan-submit"),
    path("plans/<int:pk>/withdraw/", plan_views.plan_withdraw_view, name="plan-withdraw"),
    path("plans/<int:pk>/decide/", plan_views.plan_decide_view, name="plan-decide"),
    path("exceptions/", plan_views.exception_list, name="exception-list"),
]
