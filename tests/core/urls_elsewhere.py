"""A second URLconf, for tests/core/test_fixed_urls.py: the same name reversed in another URLconf."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elsewhere/<int:pk>/", lambda request, pk: HttpResponse(), name="person")]
