"""Logging in with a username and password: Django's ModelBackend, with the account of each request (of a
logged-in user) read by a statement compiled once per process instead of the ORM's get()."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from core.compiled import by_pk

from .models import User


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        user = by_pk(User, user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
