"""PLACEHOLDER while the pages are built: every URL answers 404."""

from django.http import Http404
from django.views import View


class NominationCreateView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class NominationDetailView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


class NominationUpdateView(View):
    def dispatch(self, request, *args, **kwargs):
        raise Http404


def nomination_submit(request, *args, **kwargs):
    raise Http404


def nomination_withdraw(request, *args, **kwargs):
    raise Http404


def nomination_delete(request, *args, **kwargs):
    raise Http404


def nomination_approve(request, *args, **kwargs):
    raise Http404


def nomination_reject(request, *args, **kwargs):
    raise Http404
