from django.urls import path

from . import campaign_views as views

urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("<int:pk>/quotas/", views.CampaignQuotaView.as_view(), name="campaign_quotas"),
    path("<int:pk>/open/", views.campaign_open, name="campaign_open"),
    path("<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("<int:pk>/publish/", views.campaign_publish, name="campaign_publish"),
    path("<int:pk>/publish/preview.pdf", views.campaign_publish_preview, name="campaign_publish_preview"),
    path("<int:pk>/correct/", views.campaign_correct, name="campaign_correct"),
    path("<int:pk>/review/", views.CampaignReviewView.as_view(), name="campaign_review"),
    path("<int:pk>/review/export.xlsx", views.campaign_review_export, name="campaign_review_export"),
]
