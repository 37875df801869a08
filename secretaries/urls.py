from django.urls import path

from . import account_views, rearrange_views
from . import person_views as views

app_name = "secretaries"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("export.xlsx", views.person_export, name="person_export"),
    path("new/", views.PersonCreateView.as_view(), name="person_create"),
    path("vacancies/", views.VacancyListView.as_view(), name="vacancy_list"),
    path("vacancies/export.xlsx", views.vacancy_export, name="vacancy_export"),
    path("appoint/", views.appoint, name="appoint"),
    path("autocomplete/", views.person_autocomplete, name="person_autocomplete"),
    path("terms/<int:pk>/end/", views.term_end, name="term_end"),
    path("terms/<int:pk>/extend/", views.term_extend, name="term_extend"),
    # Hamlets re-arranged: a merge or split ends branches, and their terms with them.
    path("branches/<int:pk>/merge/", rearrange_views.branch_merge, name="branch_merge"),
    path("branches/<int:pk>/split/", rearrange_views.branch_split, name="branch_split"),
    path("corrections/", account_views.correction_list, name="correction_list"),
    path("corrections/<int:pk>/", account_views.correction_review, name="correction_review"),
    path("invitations/<int:pk>/slip/", account_views.invitation_slip, name="invitation_slip"),
    path("invitations/<int:pk>/revoke/", account_views.invitation_revoke, name="invitation_revoke"),
    path("<int:pk>/invite/", account_views.person_invite, name="person_invite"),
    path("<int:pk>/account/", account_views.person_account_active, name="person_account_active"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("<int:pk>/portrait/", views.person_portrait, name="person_portrait"),
    path(
        "<int:pk>/portrait/thumbnail/", views.person_portrait, {"size": "thumbnail"}, name="person_thumbnail"
    ),
    path("<int:pk>/portrait/remove/", views.person_portrait_remove, name="person_portrait_remove"),
]
