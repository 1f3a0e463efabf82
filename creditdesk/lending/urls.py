from django.urls import path

from creditdesk.lending import views

app_name = "lending"

urlpatterns = [
    path("quote/", views.quote_calculator, name="quote"),
]
