"""Middleware of the ground floor: refuse what no page of the portal can take."""

import logging

from django.core.exceptions import BadRequest

from .security_log import security_event


class RefuseNulMiddleware:
    """A NUL character in the path, the query or a URL-encoded form answers 400.

    No portal value contains one, PostgreSQL refuses it in text (a 500 otherwise), and it is a classic
    way to cut a string short. Multipart forms go through Django forms, whose text fields already refuse
    it (ProhibitNullCharactersValidator); their bodies are left unread here for the upload checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            security_event("request.nul_byte", request=request, level=logging.WARNING, method=request.method)
            raise BadRequest("NUL character in the request")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path_info:
            return True
        sources = [request.GET]
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            sources.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in v for v in values) for q in sources for key, values in q.lists()
        )
