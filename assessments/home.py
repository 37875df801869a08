"""What the first screen says about assessments: drafts still open this year, and (for provincial
staff) submitted assessments waiting for confirmation."""

from django.db.models import Count, Q

from branches.home import Panel

from .models import Assessment, Framework


def panel(user) -> Panel | None:
    framework = Framework.objects.order_by("-year").first()
    if framework is None:
        return None
    counts = (
        Assessment.objects.visible_to(user)
        .filter(framework=framework)
        .aggregate(
            drafts=Count("pk", filter=Q(status=Assessment.Status.DRAFT)),
            submitted=Count("pk", filter=Q(status=Assessment.Status.SUBMITTED)),
            confirmed=Count("pk", filter=Q(status=Assessment.Status.CONFIRMED)),
        )
    )
    return Panel(
        template="assessments/partials/home_panel.html",
        context={"framework": framework, **counts},
    )
