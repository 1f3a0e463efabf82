from django.urls import path

from creditdesk.assessment import co_borrower_views, views

app_name = "assessment"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path("overrides/", views.override_report, name="overrides"),
    path("credit-queries/", views.credit_query_log, name="credit-queries"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/review/", views.application_review, name="review"),
    path("<int:pk>/return/", views.application_return, name="return"),
    path("<int:pk>/assess/", views.application_assess, name="assess"),
    path("<int:pk>/rating/", views.application_rating, name="rating"),
    path("<int:pk>/decision/", views.decision, name="decision"),
    path("<int:pk>/co-borrowers/add/", co_borrower_views.co_borrower_add, name="co-borrower-add"),
    path(
        "<int:pk>/co-borrowers/<int:customer_id>/remove/",
        co_borrower_views.co_borrower_remove,
        name="co-borrower-remove",
    ),
]
