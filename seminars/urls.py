"""Seminars' URLs, gathered from the modules that own them: seminar pages, follow-up and report,
models/solutions, programmes, photos."""

from . import followup_urls, initiative_urls, photo_urls, programme_urls, seminar_urls

app_name = "seminars"

urlpatterns = [
    *seminar_urls.urlpatterns,
    *followup_urls.urlpatterns,
    *initiative_urls.urlpatterns,
    *programme_urls.urlpatterns,
    *photo_urls.urlpatterns,
]
