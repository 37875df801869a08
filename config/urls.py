from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from branches.unit_views import HomeView, healthz

admin.site.site_header = admin.site.site_title = _("Branch secretaries — administration")
admin.site.index_title = _("Records and users")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("secretaries/", include("secretaries.urls")),
    path("toi/", include("secretaries.own_urls")),
    path("imports/", include("core.importing.urls")),
    path("jobs/", include("core.job_urls")),
    path("assessments/", include("assessments.urls")),
    path("seminars/", include("seminars.urls")),
    path("awards/", include("awards.urls")),
    # The public honour wall: the only pages open without logging in (besides the login itself).
    path("guong-bi-thu/", include("awards.wall_urls")),
    path("reminders/", include("core.reminder_urls")),
    path("", include("branches.urls")),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"

# No /media/ URL, not even in development: uploaded portraits and photos are personal data and are
# served only through views that check the user's scope.
