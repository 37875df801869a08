"""Logging in with a username and password: Django's ModelBackend, with the account of each request (of a
logged-in user) read by a statement compiled once per process instead of the ORM's get(), its unit in the
same row (every page of an officer reads it: the scope, the header)."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from core.compiled import by_pk

from .models import User


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        user = by_pk(User, user_id, related=User.UNIT_FIELDS)
        return user if user is not None and self.user_can_authenticate(user) else None
