"""URL wiring: the staff UI, the JSON API at /api/v1/, the admin and the health check."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path
from ninja import NinjaAPI

from creditdesk.accounts.api import router as accounts_router
from creditdesk.accounts.auth import BearerTokenAuth, docs_access, session_auth
from creditdesk.assessment.api import router as assessment_router
from creditdesk.assessment.co_borrowers_api import router as co_borrowers_router
from creditdesk.contracts.api import router as contracts_router
from creditdesk.core import throttling
from creditdesk.core.api import TextSafeParser, install_error_handlers
from creditdesk.core.pagination import PageNumber
from creditdesk.customers.api import router as customers_router
from creditdesk.customers.subject_requests_api import router as subject_requests_router
from creditdesk.lending.api import quotes_router
from creditdesk.lending.api import router as lending_router
from creditdesk.loans.api import router as loans_router
from creditdesk.vehicles.api import router as vehicles_router
from creditdesk.web import views as web_views

api = NinjaAPI(
    title="creditdesk API",
    version="1",
    description="JSON API of creditdesk. Authenticate with a session or `Authorization: Bearer <token>` "
    "from `POST /api/v1/auth/token`. Errors always answer `{code, message, fields}`.",
    auth=[BearerTokenAuth(), session_auth],
    urls_namespace="api-v1",
    docs_decorator=docs_access,
    parser=TextSafeParser(credential_paths=frozenset({"/api/v1/auth/token"})),
)
install_error_handlers(api)
# Throttled operations (issue 10 item 10), in one table: rates in settings.CREDITDESK_THROTTLE_RATES.
for router, operation, throttle in [
    (accounts_router, "POST /auth/token", throttling.TOKEN),
    (accounts_router, "GET /access-log/export", throttling.EXPORT),
    (accounts_router, "GET /disclosures/{disclosure_id}/export", throttling.EXPORT),
    (subject_requests_router, "GET /subject-requests/{request_id}/copy", throttling.EXPORT),
    (customers_router, "POST /customers/{customer_id}/documents/{document_id}/download", throttling.EXPORT),
    (vehicles_router, "POST /vehicles/{vehicle_id}/condition-report/download", throttling.EXPORT),
    (quotes_router, "POST /quotes", throttling.QUOTE),
    (assessment_router, "POST /applications/{application_id}/assessment", throttling.ASSESSMENT),
]:
    throttling.throttle_operation(router, operation, throttle)
api.add_router("/", accounts_router)
api.add_router("/", customers_router)
api.add_router("/", subject_requests_router)
api.add_router("/", vehicles_router)
api.add_router("/", assessment_router)
api.add_router("/", co_borrowers_router)
api.add_router("/", lending_router)
api.add_router("/", contracts_router)
api.add_router("/", loans_router)
PAGINATION = PageNumber  # the one pagination class every list endpoint uses

urlpatterns = [
    path("", include("creditdesk.web.urls")),
    path("accounts/", include("creditdesk.accounts.urls")),
    path("customers/", include("creditdesk.customers.urls")),
    path("vehicles/", include("creditdesk.vehicles.urls")),
    path("applications/", include("creditdesk.assessment.urls")),
    path("lending/", include("creditdesk.lending.urls")),
    path("contracts/", include("creditdesk.contracts.urls")),
    path("loans/", include("creditdesk.loans.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", web_views.api_not_found),  # unknown API paths answer the JSON error body, even in DEBUG
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", web_views.healthz, name="healthz"),
]

handler403 = "creditdesk.web.views.permission_denied"
handler404 = "creditdesk.web.views.page_not_found"
handler500 = "creditdesk.web.views.server_error"
