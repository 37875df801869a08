"""The reminders' URLs (namespace "reminders", mounted at /reminders/ in config/urls.py)."""

from django.urls import path

from . import reminder_views as views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_settings, name="settings"),
    path("unsubscribe/<str:token>/", views.reminder_unsubscribe, name="unsubscribe"),
]
