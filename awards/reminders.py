"""Reminders of commendation campaigns (core/reminders.py): a nomination window closing within a week, to the
officers of the units that nominate in it while they have places or drafts left. The first screen's own
panel shows the deadline already."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.reminders import Reminder

from .models import Campaign, nominating_unit

KIND = "nomination_closing"
WARNING_DAYS = 7


def nomination_closing(user, today: datetime.date) -> list[Reminder]:
    unit = nominating_unit(user)
    if unit is None:
        return []
    campaigns = (
        Campaign.objects.visible_to(user)
        .filter(
            status=Campaign.Status.OPEN,
            opens_on__lte=today,
            closes_on__gte=today,
            closes_on__lte=today + datetime.timedelta(days=WARNING_DAYS),
        )
        .select_related("province")
        .with_unit_quota(*unit)
        .order_by("closes_on", "pk")
    )
    items = []
    for campaign in campaigns:
        if not campaign.nominated_by(user) or not (campaign.unit_left or campaign.unit_drafts):
            continue
        items.append(
            Reminder(
                kind=KIND,
                key=f"campaign:{campaign.pk}:closes:{campaign.closes_on.isoformat()}",
                text=_(
                    "Nominations for “%(title)s” close on %(date)s: %(left)s place(s) left, "
                    "%(drafts)s draft(s) not submitted."
                )
                % {
                    "title": campaign.title,
                    "date": date_format(campaign.closes_on, "SHORT_DATE_FORMAT"),
                    "left": campaign.unit_left,
                    "drafts": campaign.unit_drafts,
                },
                url=campaign.get_absolute_url(),
                due_on=campaign.closes_on,
            )
        )
    return items
