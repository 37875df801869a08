"""PLACEHOLDER while the pages are built: every URL answers 404."""

from django.http import Http404
from django.views import View


class CampaignListView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class CampaignCreateView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class CampaignDetailView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class CampaignUpdateView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class CampaignReviewView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


def campaign_open(request, *args, **kwargs):
    raise Http404


def campaign_close(request, *args, **kwargs):
    raise Http404


def campaign_publish(request, *args, **kwargs):
    raise Http404
