"""Commendations' URLs, gathered from the modules that own them: campaigns and their review, nominations,
published commendations (list, certificates, revocation) and statistics."""

from . import campaign_urls, commendation_urls, nomination_urls

app_name = "awards"

urlpatterns = [
    *campaign_urls.urlpatterns,
    *nomination_urls.urlpatterns,
    *commendation_urls.urlpatterns,
]
