"""Seminars' URLs, gathered from the modules that own them (seminar pages, follow-up and reports,
models/solutions, photos)."""

from importlib import import_module

app_name = "seminars"

urlpatterns = []
for module in ("seminar_urls", "followup_urls", "initiative_urls", "photo_urls"):
    try:
        urlpatterns += import_module(f"seminars.{module}").urlpatterns
    except ModuleNotFoundError:  # a part still being written; see the module list above
        pass
