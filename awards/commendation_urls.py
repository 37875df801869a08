from django.urls import path

from . import commendation_views as views
from . import own

urlpatterns = [
    path("<int:campaign_pk>/commendations/", views.commendation_list, name="commendation_list"),
    path(
        "<int:campaign_pk>/commendations/export.xlsx", views.commendation_export, name="commendation_export"
    ),
    path(
        "<int:campaign_pk>/commendations/official/",
        views.commendation_official_list,
        name="commendation_official_list",
    ),
    path(
        "<int:campaign_pk>/commendations/official.pdf",
        views.commendation_official_pdf,
        name="commendation_official_pdf",
    ),
    path(
        "<int:campaign_pk>/commendations/certificates.pdf",
        views.commendation_certificates,
        name="commendation_certificates",
    ),
    path("commendations/<int:pk>/", views.CommendationDetailView.as_view(), name="commendation_detail"),
    path(
        "commendations/<int:pk>/certificate.pdf",
        views.commendation_certificate,
        name="commendation_certificate",
    ),
    path("commendations/<int:pk>/portrait/", views.commendation_portrait, name="commendation_portrait"),
    path("commendations/<int:pk>/revoke/", views.commendation_revoke, name="commendation_revoke"),
    path("statistics/", views.statistics, name="statistics"),
    # A secretary's own certificate, from their own page (/toi/).
    path("mine/<int:pk>/certificate.pdf", own.own_certificate, name="own_certificate"),
]
