from django.urls import path

from . import nomination_views as views

urlpatterns = [
    path("<int:campaign_pk>/nominate/", views.NominationCreateView.as_view(), name="nomination_create"),
    path("nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.NominationUpdateView.as_view(), name="nomination_update"),
    path("nominations/<int:pk>/submit/", views.nomination_submit, name="nomination_submit"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/delete/", views.nomination_delete, name="nomination_delete"),
    path("nominations/<int:pk>/revise/", views.nomination_revise, name="nomination_revise"),
    path("nominations/<int:pk>/approve/", views.nomination_approve, name="nomination_approve"),
    path("nominations/<int:pk>/reject/", views.nomination_reject, name="nomination_reject"),
    path(
        "nominations/<int:pk>/change-decision/",
        views.nomination_decision_change,
        name="nomination_decision_change",
    ),
    path(
        "nominations/<int:pk>/documents/",
        views.nomination_document_upload,
        name="nomination_document_upload",
    ),
    path("nominations/documents/<int:pk>/", views.nomination_document, name="nomination_document"),
    path(
        "nominations/documents/<int:pk>/delete/",
        views.nomination_document_delete,
        name="nomination_document_delete",
    ),
]
