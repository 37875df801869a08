import random

from django.core.management import BaseCommand, call_command
from django.db import transaction

from accounts.mfa import secret_base32
from branches import counters
from core import aggregates
from core.planning import refresh_statistics
from demo.accounts import DEMO_TOTP_KEY, populate_users
from demo.assessments import CURRENT_YEAR, PREVIOUS_YEAR, populate_assessments
from demo.awards import populate_awards, populate_current_awards
from demo.branches import DEMO_PROVINCE, populate_branches, rearrange_hamlets, reattach_branches
from demo.secretaries import file_under_todays_units, populate_secretaries
from demo.secretary_accounts import populate_secretary_account
from demo.self_assessments import populate_self_assessments
from demo.seminars import populate_seminars, populate_seminars_today


class Command(BaseCommand):
    help = "Load the Trà Vinh demo: official units, generated branches (and later people), demo logins."

    def handle(self, *args, **options):
        call_command("load_divisions", "--province", DEMO_PROVINCE, stdout=self.stdout)
        rng = random.Random(84)
        # Branch and term counters recounted once per commune at the end, not at every save.
        with transaction.atomic(), counters.deferred():
            created = populate_branches(rng=rng)
            secretaries = populate_secretaries(rng=rng)
            # The assessments name demo users as assessors and confirmers: users first.
            users = populate_users()
            seminars = populate_seminars(rng=rng)
            awards = populate_awards(rng=rng)
            # As it happened: the history above was made with the units of its time. Re-attaching refreshes
            # the totals of each commune from the rows loaded above: the planner must see them.
            refresh_statistics()
            reattached = reattach_branches()
            # Then 2026's re-arranged hamlets of Xã Tập Ngãi (a merge and a split).
            rearranged = rearrange_hamlets()
            # Who was first appointed since the reform is a record of today's units, as the portal files it.
            file_under_todays_units()
            # Today's records, in the new units: Vĩnh Long's 2026 assessments (and Trà Vinh's 2025 ones,
            # stored with the units of their time) and seminars.
            assessments = populate_assessments(rng=rng)
            # The self-assessments below go through the services, which refresh their commune's totals
            # from the assessments just loaded in bulk.
            refresh_statistics()
            # Vĩnh Long's quarterly round in points out of 100, secretaries assessing themselves first.
            self_assessed = populate_self_assessments(rng=rng)
            seminars_today = populate_seminars_today(rng=rng)
            # Today's campaign is Vĩnh Long's: its communes nominate the secretaries of today's branches.
            awards.update(populate_current_awards(rng=rng))
            # A Tập Ngãi branch secretary with an account of their own and a correction waiting.
            secretary = populate_secretary_account()
            if secretary is not None:
                users.append((secretary, users[0][1]))
        # The demo is written partly in bulk, past the services that keep the aggregates exact.
        aggregates.rebuild()
        self.stdout.write(f"Demo branches created: {created}")
        if secretaries["people"]:
            self.stdout.write(
                "Demo secretaries created: {people} people, {terms} terms ({secretaries} current "
                "secretaries, {deputies} deputies, {past_terms} past terms; {vacancies} branches without "
                "a secretary)".format(**secretaries)
            )
        else:
            self.stdout.write("Demo secretaries: Trà Vinh has its people already, none created.")
        if assessments["assessments"]:
            self.stdout.write(
                "Demo assessments created: {assessments} ({previous} for {previous_year}, {current} for "
                "{current_year}: {nhap} drafts, {da_gui} submitted, {da_xac_nhan} confirmed in all), "
                "{scores} scores".format(
                    **assessments, previous_year=PREVIOUS_YEAR, current_year=CURRENT_YEAR
                )
            )
        else:
            self.stdout.write("Demo assessments: Trà Vinh has its assessments already, none created.")
        if self_assessed["accounts"]:
            self.stdout.write(
                "Demo self-assessment (Vĩnh Long, by quarter, points out of 100): {accounts} secretary "
                "accounts in Xã Tập Ngãi (bithu.tapngai1…), {awaiting} self-assessments awaiting "
                "doanxa.tapngai's review, {drafts} still a draft, {confirmed} confirmed".format(
                    **self_assessed
                )
            )
        if seminars["seminars"]:
            self.stdout.write(
                "Demo seminars created: {seminars} ({participants} participations, {proposals} proposals, "
                "{photos} photos), {initiatives} model(s)/solution(s)".format(**seminars)
            )
        else:
            self.stdout.write("Demo seminars: Trà Vinh has its seminars already, none created.")
        if seminars_today["seminars"]:
            self.stdout.write(
                "Today's demo seminars created: {seminars} of Tỉnh đoàn Vĩnh Long and Đoàn xã Tập Ngãi "
                "({participants} participations, {proposals} proposals)".format(**seminars_today)
            )
        if awards["commended"]:
            self.stdout.write(
                "Demo commendations: Trà Vinh's 2020 campaign decided ({commended} commended, {rejected} not "
                "approved)".format(**awards)
            )
        else:
            self.stdout.write("Demo commendations: Trà Vinh has its campaigns already, none created.")
        self.stdout.write(
            "The public honour wall (no login): http://127.0.0.1:8000/guong-bi-thu/"
            + (
                " ({consented} of the 2020 commended agreed to show their portrait there)".format(**awards)
                if awards.get("consented")
                else ""
            )
        )
        if awards["submitted"] or awards["drafts"]:
            self.stdout.write(
                "Demo commendations: Vĩnh Long's campaign of this year open, with a quota per commune "
                "({submitted} nominations submitted, {drafts} draft)".format(**awards)
            )
        else:
            self.stdout.write("Demo commendations: Vĩnh Long has its campaigns already, none created.")
        self.stdout.write(
            "The 2025 reform: {moved} branches re-attached on 01/07/2025 to the new commune their commune "
            "went into whole; waiting in the work list (/branches/waiting/): {split} of communes merged only "
            "partly, {clashing} whose name the new commune already has".format(**vars(reattached))
        )
        self.stdout.write(
            "Hamlets re-arranged in 2026 (Xã Tập Ngãi): {merged} branches merged into one, {split} new "
            "branches split from one".format(**rearranged)
        )
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {users[0][1]}):"))
        for user, _password in users:
            scope = user.scope_label
            if user.is_secretary:
                scope = f"{user.person.full_name} (own pages at /toi/)"
            self.stdout.write(f"  {user.username:<22} {user.get_role_display():<22} {scope}")
        self.stdout.write(
            "The administrator and provincial staff also type a code after the password (two-step "
            "verification). The current one:\n"
            "  .venv/bin/python manage.py demo_totp quantri        (or tinhdoan.vinhlong, tinhdoan.travinh)\n"
            f"or add the demo key {secret_base32(DEMO_TOTP_KEY)} to an authenticator app "
            "(time-based, 6 digits)."
        )
        self.stdout.write("Open http://127.0.0.1:8000/ and log in.\n")
