"""Seminars' URLs, gathered from the modules that own them (seminar pages, follow-up and reports,
models/solutions, photos)."""

from contextlib import suppress
from importlib import import_module

app_name = "seminars"

urlpatterns = []
for module in ("seminar_urls", "followup_urls", "initiative_urls", "photo_urls"):
    with suppress(ModuleNotFoundError):  # a part still being written; see the module list above
        urlpatterns += import_module(f"seminars.{module}").urlpatterns
