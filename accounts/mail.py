"""The password-reset mail, sent by the worker (core.jobs.enqueue): the request only queues it, so an
address with an account answers as fast as one without (ASVS V6: no account enumeration by timing).

The worker gets ids and plain values, and makes the link itself from the account as it is then: a token
made a few seconds later is the same kind of token (Django's default_token_generator), valid as long."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

logger = logging.getLogger(__name__)


def send_password_reset_mail(
    *,
    user_id: int,
    to_email: str,
    domain: str,
    site_name: str,
    protocol: str,
    from_email: str | None,
    language: str,
    subject_template_name: str = "registration/password_reset_subject.txt",
    email_template_name: str = "registration/password_reset_email.html",
    html_email_template_name: str | None = None,
) -> None:
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    context = {
        "email": to_email,
        "domain": domain,
        "site_name": site_name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": protocol,
    }
    with translation.override(language):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(
                loader.render_to_string(html_email_template_name, context), "text/html"
            )
    try:
        message.send()
    except Exception:
        # As Django's own form does: a mail server that refuses is logged, and the queue moves on.
        logger.exception("Failed to send the password-reset mail to user %s", user_id)
