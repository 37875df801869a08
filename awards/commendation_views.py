"""PLACEHOLDER while the pages are built: every URL answers 404."""

from django.http import Http404
from django.views import View


class CommendationDetailView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


def commendation_list(request, *args, **kwargs):
    raise Http404


def commendation_export(request, *args, **kwargs):
    raise Http404


def commendation_certificate(request, *args, **kwargs):
    raise Http404


def commendation_portrait(request, *args, **kwargs):
    raise Http404


def commendation_revoke(request, *args, **kwargs):
    raise Http404


def statistics(request, *args, **kwargs):
    raise Http404
