from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The top floor: the Trà Vinh demo (`load_demo`) and the benchmark data set (`seed_scale`).

    It imports every domain app to fill them with data; no domain app imports it."""

    name = "demo"
    verbose_name = _("Demo data")
