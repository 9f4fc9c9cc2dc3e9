"""Create demo agencies, one user per role and reviews at several stages.

Everything is invented. Running the command again changes nothing: people and
agencies are looked up before they are created, and each demo case is created
only if its referral is not there yet.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from agencies.models import Agency, User
from agencies.roles import Role
from reviews import permissions as perms
from reviews import scenarios, services
from reviews.models import (
    ExternalBody,
    PanelDecision,
    Recommendation,
    Referral,
    StaffSupportMeeting,
    Theme,
)
from reviews.sample_pdf import text_pdf

DEMO_PASSWORD = "demo-safeguarding-2026"

AGENCIES = {
    "social_care": ("Northbridge Children's Social Care", Agency.Kind.SOCIAL_CARE),
    "hospital": ("Northbridge Teaching Hospitals NHS Trust", Agency.Kind.HEALTH_TRUST),
    "gp": ("Riverside Medical Practice", Agency.Kind.GP),
    "school": ("St Anne's Primary School", Agency.Kind.EDUCATION),
    "police": ("Northbridge Police", Agency.Kind.POLICE),
}

# username: (first, last, roles, agency key, job title)
PEOPLE = {
    "chair": (
        "Margaret",
        "Osei",
        [Role.PANEL_CHAIR, Role.PANEL_MEMBER],
        None,
        "Independent chair of the SCR panel",
    ),
    "panel": ("David", "Kowalski", [Role.PANEL_MEMBER], "social_care", "Head of safeguarding"),
    "manager": ("Priya", "Sharma", [Role.BUSINESS_MANAGER], None, "LSCB business manager"),
    "referrer": ("Tom", "Hughes", [Role.REFERRER], "school", "Designated safeguarding lead"),
    "referrer2": ("Sunita", "Rao", [Role.REFERRER], "hospital", "Named doctor for safeguarding children"),
    "agencymanager": ("Helen", "Baptiste", [Role.AGENCY_SENIOR_MANAGER], "hospital", "Director of nursing"),
    "author": ("Grace", "Adeyemi", [Role.IMR_AUTHOR], "hospital", "Named nurse for safeguarding"),
    "author2": ("Colin", "Reid", [Role.IMR_AUTHOR], "police", "Detective inspector, review team"),
    "overview": ("Alison", "Frost", [Role.OVERVIEW_AUTHOR], None, "Independent overview author"),
    "board": ("Richard", "Okafor", [Role.BOARD_MEMBER], None, "Chair of the strategic leadership board"),
    "qa": ("Fiona", "MacLeod", [Role.QA_SUBGROUP], None, "Chair of the QA sub-group"),
}


# The themes the QA sub-group follows: name, description.
THEMES = [
    ("Information sharing", "What one agency knew and did not pass on to the others."),
    ("Hearing the child", "Whether practitioners saw the child, spoke to them and recorded what they said."),
    ("Domestic abuse", "Abuse between the adults of the household, and what it meant for the child."),
    ("Neglect", "A child's basic needs unmet: food, warmth, medical care, supervision."),
    ("Parental mental health", "A parent's mental illness and its effect on their care of the child."),
    ("Substance misuse", "A parent's use of drugs or alcohol and its effect on their care of the child."),
    ("Escalation of concerns", "Whether a worry was taken further when the first answer did not resolve it."),
]

# The demo recommendations' themes, by a phrase of their text: Information sharing and Escalation of
# concerns each recur across two reviews.
TAGS = {
    "told of every domestic abuse call": ["Information sharing", "Domestic abuse"],
    "every child in the home at a domestic abuse call": ["Hearing the child", "Domestic abuse"],
    "triage calls about babies": ["Escalation of concerns"],
    "getting help for a sick baby": ["Escalation of concerns", "Neglect"],
    "home conditions with children's social care": [
        "Information sharing",
        "Neglect",
        "Escalation of concerns",
    ],
    "tell each other about poor home conditions": ["Information sharing", "Neglect"],
}


# The actions the QA sub-group monitors, beyond each IMR's own: by review (its child), a list of
# (plan, description, owner, LSCB action's owning agency, due in days from today, what happened).
# The plan is an agency key or "lscb"; what happened is a list of steps, each ("progress", note),
# ("start",), ("complete", evidence, evidence document's title), ("verify",) or ("monitor", note).
# Due dates in the past are overdue today: the demo dates its actions relative to today, and never
# before the panel's decision (150 and 112 days ago).
MONITORED_ACTIONS = {
    "Kayden Moss": [
        (
            "hospital",
            "Audit 20 health visiting records for an entry on the home's conditions at every visit.",
            "Named nurse for safeguarding",
            None,
            -45,
            [
                ("start",),
                ("progress", "Ten records audited; four had no entry on the home's conditions."),
                (
                    "complete",
                    "Audit of 20 records completed: 18 record the home's conditions at every visit; the two "
                    "health visitors concerned have been supervised.",
                    "Audit of health visiting records",
                ),
                ("verify",),
                ("monitor", "Audit report read at the sub-group: the action is verified."),
            ],
        ),
        (
            "hospital",
            "Train every health visitor to recognise poor home conditions and refer them.",
            "Head of health visiting",
            None,
            -21,
            [
                ("start",),
                ("progress", "Two of the three training sessions held; 31 of 46 health visitors trained."),
                (
                    "monitor",
                    "Overdue by three weeks. The head of health visiting is asked for the date of the last "
                    "session, and to report to the next meeting.",
                ),
            ],
        ),
        (
            "police",
            "Add a question on the home's conditions to the domestic abuse risk assessment.",
            "Head of public protection",
            None,
            -10,
            [],
        ),
        (
            "police",
            "Brief neighbourhood officers on referring cold and poorly kept homes to children's social care.",
            "Neighbourhood policing inspector",
            None,
            7,
            [("start",), ("progress", "Briefing written and approved; to be read at every shift briefing.")],
        ),
        (
            "lscb",
            "Confirm that the front door takes referrals about home conditions from any agency.",
            "Head of the front door service",
            "social_care",
            -5,
            [
                ("start",),
                ("progress", "Front door guidance redrafted; waiting for the service manager's sign-off."),
            ],
        ),
        (
            "lscb",
            "Publish the protocol on home conditions on the LSCB website.",
            "LSCB business manager",
            None,
            10,
            [],
        ),
        (
            "lscb",
            "Record the home's conditions in the practice record when a practice learns of them.",
            "Practice safeguarding lead",
            "gp",
            45,
            [],
        ),
        (
            "lscb",
            "Audit the referrals about home conditions six months after the protocol starts.",
            "Chair of the QA sub-group",
            None,
            120,
            [],
        ),
    ],
    "Amira Haddad": [
        (
            "hospital",
            "Add a card on getting help out of hours to the new-birth visit pack.",
            "Head of health visiting",
            None,
            -30,
            [
                ("start",),
                (
                    "complete",
                    "The card is in every new-birth pack from the first of the month; 400 printed.",
                    "New-birth visit pack, revised",
                ),
            ],
        ),
        (
            "hospital",
            "Audit the emergency department's response to babies brought back within 48 hours.",
            "Clinical lead, paediatric emergency department",
            None,
            -14,
            [
                ("start",),
                ("progress", "Audit tool agreed; data collection under way for the last six months."),
                ("monitor", "Overdue: the sub-group asks for the audit's findings by the next meeting."),
            ],
        ),
        (
            "police",
            "Remind control room staff to pass every call about an unwell baby to the ambulance service at once.",
            "Control room superintendent",
            None,
            -2,
            [],
        ),
        (
            "police",
            "Add the sudden infant death protocol to officers' annual refresher training.",
            "Head of learning and development",
            None,
            12,
            [("start",), ("progress", "Module drafted with the designated doctor for child deaths.")],
        ),
    ],
}


class Command(BaseCommand):
    help = (
        "Create demo data (only on an instance marked as a demo, SCR_DEMO=1): "
        "agencies, one user per role, reviews at several stages."
    )

    def handle(self, *args, **options):
        if not settings.DEMO:
            raise CommandError(
                "Demo data goes only into a demo instance, so invented cases never mix with real ones. "
                "This instance is not marked as a demo: set SCR_DEMO=1 (make run does)."
            )
        with transaction.atomic():
            self.agencies = {key: self._agency(*value) for key, value in AGENCIES.items()}
            self.people = {username: self._person(username, *value) for username, value in PEOPLE.items()}
            self._admin()
            self._external_bodies()
            created = [
                self._referral_awaiting_decision(),
                self._scr_drafting_tor(),
                self._scr_imrs_in_progress(),
                self._scr_imrs_submitted(),
                self._case_review_engaging_agencies(),
                self._management_review_at_board(),
                self._case_review_published(),
            ]
            self._themes()
        made = sum(1 for c in created if c)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({made} new demo cases)."))
        self.stdout.write(f"Sign in as any of: {', '.join(PEOPLE)}, admin. Password: {DEMO_PASSWORD}")

    # People and organisations

    def _agency(self, name, kind):
        agency, _ = Agency.objects.get_or_create(
            name=name, defaults={"kind": kind, "email": f"safeguarding@{kind.replace('_', '-')}.example.org"}
        )
        return agency

    def _person(self, username, first, last, roles, agency_key, title):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                job_title=title,
                email=f"{username}@example.org",
                agency=self.agencies[agency_key] if agency_key else None,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(*Group.objects.filter(name__in=roles))
        return user

    def _admin(self):
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser(
                "admin", "admin@example.org", DEMO_PASSWORD, first_name="System", last_name="Administrator"
            )

    def _external_bodies(self):
        ExternalBody.objects.get_or_create(
            name="Ofsted", defaults={"email": "scr.notifications@ofsted.example.org", "grades_reports": True}
        )
        ExternalBody.objects.get_or_create(
            name="Government Office for London", defaults={"email": "safeguarding@gol.example.org"}
        )

    def _themes(self):
        """The QA sub-group's themes, and the demo recommendations tagged with them (those not tagged yet)."""
        qa, chair = self.people["qa"], self.people["chair"]
        for name, description in THEMES:
            if not Theme.objects.filter(name__iexact=name).exists():
                services.theme_add(actor=qa, name=name, description=description)
        for phrase, names in TAGS.items():
            untagged = Recommendation.objects.filter(text__contains=phrase, themes__isnull=True)
            for recommendation in untagged.select_related("review", "imr"):
                # The QA sub-group tags what it reads; the panel reads every recommendation.
                actor = qa if perms.can_read_recommendation(qa, recommendation) else chair
                services.recommendation_themes_set(
                    actor=actor, recommendation=recommendation, themes=Theme.objects.filter(name__in=names)
                )

    # Building blocks

    def _refer(self, *, child, days_ago, kind, agencies, police, summary, dob_years=3, family=""):
        today = timezone.localdate()
        incident = today - datetime.timedelta(days=days_ago + 6)
        # Each referral is logged by the safeguarding lead of the first agency named, in its name.
        referrer = next(
            (
                p
                for p in self.people.values()
                if p.has_role(Role.REFERRER) and p.agency == self.agencies[agencies[0]]
            ),
            self.people["referrer"],
        )
        return scenarios.log_referral(
            referrer=referrer,
            child_name=child,
            child_date_of_birth=incident - datetime.timedelta(days=365 * dob_years + 40),
            family_members=family,
            incident_date=incident,
            incident_kind=kind,
            summary=summary,
            agencies=[self.agencies[a] for a in agencies],
            police_investigating=police,
            received_at=timezone.now() - datetime.timedelta(days=days_ago + 4),
        )

    def _decide(self, referral, *, days_ago, outcome, criteria, rationale, justification=""):
        return scenarios.decide(
            chair=self.people["chair"],
            referral=referral,
            held_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            attendees=[self.people["chair"], self.people["panel"]],
            other_attendees="Priya Sharma, LSCB business manager\nLegal adviser, Northbridge Council",
            outcome=outcome,
            criteria=criteria,
            rationale=rationale,
            justification=justification,
        )

    def _staff(self, review, rows):
        scenarios.record_staff(
            actor=self.people["manager"],
            review=review,
            rows=[(self.agencies[agency], pseudonym, name, role) for agency, pseudonym, name, role in rows],
        )

    def _agree_tor(self, review, questions, period_months=18):
        today = timezone.localdate()
        scenarios.draft_tor(
            chair=self.people["chair"],
            review=review,
            period_start=today - datetime.timedelta(days=30 * period_months),
            period_end=review.referral.incident_date,
            questions=questions,
            agencies=[p.agency for p in review.participations.all()],
        )
        services.review_move(
            actor=self.people["chair"],
            review=review,
            move="agree_terms_of_reference",
            note="Agreed at panel.",
        )
        scenarios.support_meeting(
            manager=self.people["manager"],
            review=review,
            kind=StaffSupportMeeting.Kind.BEGINNING,
            held_on=today - datetime.timedelta(days=1),
            notes="Terms of reference explained; support services described.",
        )

    def _engage(self, review, authors):
        review = services.review_move(actor=self.people["manager"], review=review, move="engage_agencies")
        for participation in review.participations.select_related("agency"):
            # The hospital's senior manager has an account; the business manager records the others'.
            hospital = participation.agency == self.agencies["hospital"]
            scenarios.secure_and_nominate(
                by=self.people["agencymanager"] if hospital else self.people["manager"],
                participation=participation,
                author=authors.get(participation.agency_id),
                originals_location=f"Records room, {participation.agency}; locked cabinet 3",
                copies_made=participation.agency == self.agencies["social_care"],
            )
        return review

    def _chronology(self, imr, rows):
        scenarios.write_chronology(
            imr=imr,
            entries=[
                {
                    "date": date,
                    "time": time,
                    "contact_type": contact,
                    "with_whom": whom,
                    "practitioner": practitioner,
                    "summary": summary,
                    "outcome": outcome,
                    "source": "Electronic patient record"
                    if "Nurse" in practitioner or "Visitor" in practitioner
                    else "Case file",
                    "key_practice_episode": kpe,
                }
                for date, time, contact, whom, practitioner, summary, outcome, kpe in rows
            ],
        )

    def _complete_imr(self, imr, recommendation, action):
        review = imr.participation.review
        scenarios.submit_imr(
            imr=imr,
            report=f"IMR report of {imr.participation.agency} for {review.reference} (demo).",
            recommendation=recommendation,
            action=action,
            # Each agency's action owned by a post of that agency.
            action_owner="Named nurse for safeguarding"
            if imr.participation.agency == self.agencies["hospital"]
            else "Detective inspector, public protection",
            # Due in two weeks: the reminder sweep on a fresh demo has reminders to send.
            action_due=timezone.localdate() + datetime.timedelta(days=14),
            feedback_on=timezone.localdate(),
            note="Submitted for the overview.",
        )

    def _monitored_actions(self, review):
        """Add the review's MONITORED_ACTIONS and take each through what happened to it, as its people would."""
        people, today = self.people, timezone.localdate()
        # Each action's owner: the hospital's senior manager, the police's IMR author, the business manager.
        owners = {"hospital": people["agencymanager"], "police": people["author2"], "lscb": people["manager"]}
        for plan, description, owner, owner_agency, due_in, steps in MONITORED_ACTIONS[
            review.referral.child_name
        ]:
            agency = None if plan == "lscb" else self.agencies[plan]
            actor = owners[plan]
            # The LSCB's actions answer the overview report's recommendation; the hospital's, its IMR's,
            # as its senior manager adds them. The police's IMR author adds actions of their own: a
            # submitted IMR's recommendations are no longer theirs to answer.
            if plan == "lscb":
                answered = review.recommendations.filter(imr__isnull=True).first()
            elif plan == "hospital":
                answered = review.recommendations.filter(imr__participation__agency=agency).first()
            else:
                answered = None
            item = services.action_item_add(
                actor=actor,
                review=review,
                agency=agency,
                description=description,
                owner=owner,
                owner_agency=self.agencies[owner_agency] if owner_agency else None,
                due_on=today + datetime.timedelta(days=due_in),
                success_measure="Reported to the QA sub-group with its evidence.",
                recommendation=answered,
            )
            for step, *args in steps:
                if step == "progress":
                    services.action_progress_record(actor=actor, item=item, note=args[0])
                elif step == "monitor":
                    services.monitoring_note_add(actor=people["qa"], item=item, note=args[0])
                elif step == "complete":
                    evidence, title = args
                    services.action_evidence_add(
                        actor=actor,
                        item=item,
                        title=title,
                        content=text_pdf(f"{title} (demo).\n\n{evidence}"),
                        filename=f"{slugify(title)}.pdf",
                    )
                    item = services.action_item_move(
                        actor=actor, item=item, move="complete", evidence=evidence
                    )
                else:
                    mover = people["qa"] if step == "verify" else actor
                    item = services.action_item_move(actor=mover, item=item, move=step)

    # The demo cases

    def _referral_awaiting_decision(self):
        if Referral.objects.filter(child_name="Ruby Lennox").exists():
            return False
        self._refer(
            child="Ruby Lennox",
            days_ago=2,
            kind=Referral.IncidentKind.SERIOUS_INJURY,
            agencies=["school", "social_care", "gp"],
            police=False,
            dob_years=7,
            family="Karen Lennox, mother\nJamie Lennox, brother",
            summary="Ruby came to school with bruising to both arms and said she had been hurt at home. "
            "She was seen at the emergency department and kept in overnight.",
        )
        return True

    def _scr_drafting_tor(self):
        if Referral.objects.filter(child_name="Noah Whitfield").exists():
            return False
        referral = self._refer(
            child="Noah Whitfield",
            days_ago=9,
            kind=Referral.IncidentKind.DEATH,
            agencies=["hospital", "gp", "social_care"],
            police=True,
            dob_years=1,
            family="Leanne Whitfield, mother\nCraig Dunn, mother's partner",
            summary="Noah, aged 14 months, was brought to the emergency department unresponsive and died. "
            "Injuries were found that the parents could not explain.",
        )
        review = self._decide(
            referral,
            days_ago=9,
            outcome=PanelDecision.Outcome.SCR,
            criteria={"criterion_a", "criterion_f"},
            rationale="A child has died and abuse is suspected; several agencies were involved with the family.",
        )
        services.tor_update(
            actor=self.people["chair"],
            review=review,
            period_start=referral.child_date_of_birth,
            period_end=referral.incident_date,
            focus_areas=[
                "How well did agencies share information about the mother's new partner?",
                "Were the health visitor's concerns about missed appointments escalated?",
            ],
            agencies=[p.agency for p in review.participations.all()],
        )
        services.police_advice_record(
            actor=self.people["manager"],
            review=review,
            given_on=timezone.localdate() - datetime.timedelta(days=8),
            source="Senior investigating officer, Northbridge Police",
            advice="Staff must not discuss the events of the last week before Noah's death, even among themselves.",
        )
        return True

    def _scr_imrs_in_progress(self):
        if Referral.objects.filter(child_name="Ellie Carter").exists():
            return False
        referral = self._refer(
            child="Ellie Carter",
            days_ago=40,
            kind=Referral.IncidentKind.SERIOUS_INJURY,
            agencies=["hospital", "police"],
            police=True,
            dob_years=2,
            family="Dawn Carter, mother\nLiam Carter, father",
            summary="Ellie, aged two, was admitted with a fractured skull and older rib fractures. "
            "Both parents have been arrested.",
        )
        review = self._decide(
            referral,
            days_ago=40,
            outcome=PanelDecision.Outcome.SCR,
            criteria={"criterion_b", "criterion_f"},
            rationale="Potentially life-threatening injury, with earlier injuries seen by health services.",
        )
        today = timezone.localdate()
        services.police_advice_record(
            actor=self.people["manager"],
            review=review,
            given_on=today - datetime.timedelta(days=38),
            source="Detective chief inspector, Northbridge Police",
            advice="Do not discuss the case at all, including within teams, until interviews are complete.",
        )
        services.police_advice_record(
            actor=self.people["manager"],
            review=review,
            given_on=today - datetime.timedelta(days=12),
            source="Detective chief inspector, Northbridge Police",
            advice="Staff may discuss the case within their own team and with their manager, but not the night of "
            "the admission.",
        )
        self._staff(
            review,
            [
                ("hospital", "Health Visitor 1", "Sandra Bell", "Health visitor"),
                ("hospital", "ED Nurse 1", "Kieran Walsh", "Emergency department staff nurse"),
                ("police", "Police Officer 1", "Mark Tennant", "Police constable"),
            ],
        )
        self._agree_tor(
            review,
            [
                "Were the earlier injuries recognised and acted on?",
                "How did health and police share information after the domestic incident in the spring?",
                "Was the father's history known to the professionals working with the family?",
            ],
        )
        authors = {
            self.agencies["hospital"].pk: self.people["author"],
            self.agencies["police"].pk: self.people["author2"],
        }
        review = self._engage(review, authors)
        services.review_move(actor=self.people["manager"], review=review, move="start_imrs")
        hospital_imr = review.participations.get(agency=self.agencies["hospital"]).imr
        police_imr = review.participations.get(agency=self.agencies["police"]).imr
        base = referral.incident_date
        day = datetime.timedelta(days=1)
        self._chronology(
            hospital_imr,
            [
                (
                    base - 300 * day,
                    datetime.time(10, 30),
                    "home visit",
                    "mother",
                    "Health Visitor 1",
                    "New birth visit. Mother tired but coping; father present and quiet.",
                    "Routine follow-up planned.",
                    False,
                ),
                (
                    base - 210 * day,
                    datetime.time(14, 0),
                    "office or clinic appointment",
                    "child",
                    "Health Visitor 1",
                    "Eight-month review. Small bruise on Ellie's cheek; mother said she fell against the cot.",
                    "Advice on safe sleeping given.",
                    True,
                ),
                (
                    base - 180 * day,
                    None,
                    "correspondence",
                    "mother",
                    "Health Visitor 1",
                    "Letter sent after two missed appointments.",
                    "",
                    False,
                ),
                (
                    base - 120 * day,
                    datetime.time(21, 15),
                    "assessment",
                    "child",
                    "ED Nurse 1",
                    "Attended ED with a swollen wrist after a reported fall from a sofa. X-ray: no fracture.",
                    "Discharged; no safeguarding referral made.",
                    True,
                ),
                (
                    base - 119 * day,
                    datetime.time(9, 0),
                    "phone call",
                    "professional",
                    "ED Nurse 1",
                    "Paediatric liaison nurse told the health visitor of the ED attendance.",
                    "Health visitor to visit.",
                    False,
                ),
                (
                    base - 90 * day,
                    None,
                    "supervision discussion",
                    "professional",
                    "Health Visitor 1",
                    "Case discussed in safeguarding supervision; concerns about missed appointments noted.",
                    "Plan: joint visit with social care not arranged.",
                    True,
                ),
                (
                    base,
                    datetime.time(23, 40),
                    "assessment",
                    "child",
                    "ED Nurse 1",
                    "Ellie brought in unresponsive. CT showed a skull fracture; skeletal survey found older rib fractures.",
                    "Police and children's social care informed.",
                    True,
                ),
            ],
        )
        self._chronology(
            police_imr,
            [
                (
                    base - 150 * day,
                    datetime.time(1, 20),
                    "home visit",
                    "mother",
                    "Police Officer 1",
                    "Called to a verbal argument between the parents. Ellie asleep upstairs.",
                    "Domestic abuse risk assessment: standard. No referral to children's social care.",
                    True,
                ),
                (
                    base,
                    datetime.time(23, 55),
                    "strategy discussion",
                    "professional",
                    "Police Officer 1",
                    "Strategy discussion with social care and the hospital after Ellie's admission.",
                    "Section 47 enquiry; both parents arrested.",
                    False,
                ),
            ],
        )
        return True

    def _scr_imrs_submitted(self):
        """Both IMRs submitted and the overview author commissioned: theirs to read, return or accept."""
        if Referral.objects.filter(child_name="Leo Marsh").exists():
            return False
        referral = self._refer(
            child="Leo Marsh",
            days_ago=75,
            kind=Referral.IncidentKind.SERIOUS_INJURY,
            agencies=["hospital", "police"],
            police=False,
            dob_years=1,
            family="Kayleigh Marsh, mother\nRyan Doyle, mother's partner",
            summary="Leo, aged 14 months, was brought to hospital with a burn to his hand and bruising to his back. "
            "His mother's partner had been living at the address for three months.",
        )
        review = self._decide(
            referral,
            days_ago=75,
            outcome=PanelDecision.Outcome.SCR,
            criteria={"criterion_b"},
            rationale="Serious injury, with concerns about a new adult in the household that were known to agencies.",
        )
        self._staff(
            review,
            [
                ("hospital", "Health Visitor 2", "Joanne Price", "Health visitor"),
                ("hospital", "ED Doctor 1", "Farid Khan", "Emergency department registrar"),
                ("police", "Police Officer 3", "Gemma Shaw", "Police constable"),
                ("police", "Domestic Abuse Officer 1", "Neil Baker", "Domestic abuse investigator"),
            ],
        )
        self._agree_tor(
            review,
            [
                "What did agencies know about the mother's new partner, and did they share it?",
                "Was Leo seen and heard during the contacts before the injury?",
            ],
            period_months=10,
        )
        authors = {
            self.agencies["hospital"].pk: self.people["author"],
            self.agencies["police"].pk: self.people["author2"],
        }
        review = self._engage(review, authors)
        services.review_move(actor=self.people["manager"], review=review, move="start_imrs")
        base = referral.incident_date
        day = datetime.timedelta(days=1)
        rows = {
            "hospital": [
                (
                    base - 200 * day,
                    datetime.time(10, 0),
                    "home visit",
                    "child",
                    "Health Visitor 2",
                    "Ten-month review at home; Leo weighed and developing well. Mother mentions a new partner.",
                    "Universal services.",
                    False,
                ),
                (
                    base - 150 * day,
                    datetime.time(14, 0),
                    "strategy discussion",
                    "professional",
                    "Health Visitor 2",
                    "Strategy discussion with police after the domestic incident; agreed to visit within a week.",
                    "Visit planned.",
                    True,
                ),
                (
                    base - 95 * day,
                    None,
                    "phone call",
                    "mother",
                    "Health Visitor 2",
                    "Phoned to arrange the visit; mother declined, saying the family was away.",
                    "No visit.",
                    True,
                ),
                (
                    base,
                    datetime.time(21, 40),
                    "assessment",
                    "child",
                    "ED Doctor 1",
                    "Burn to the right hand and bruising to the lower back; explanation inconsistent with the injuries.",
                    "Referred to children's social care; skeletal survey.",
                    True,
                ),
            ],
            "police": [
                (
                    base - 152 * day,
                    datetime.time(23, 15),
                    "home visit",
                    "mother",
                    "Police Officer 3",
                    "Called to a verbal argument between the mother and her partner; Leo asleep upstairs, not seen.",
                    "Domestic abuse risk assessment: standard.",
                    True,
                ),
                (
                    base - 150 * day,
                    datetime.time(14, 0),
                    "strategy discussion",
                    "professional",
                    "Domestic Abuse Officer 1",
                    "Strategy discussion with the health visitor after the domestic incident; a visit within the week agreed.",
                    "Health visitor to visit.",
                    False,
                ),
                (
                    base,
                    datetime.time(23, 5),
                    "home visit",
                    "carer",
                    "Police Officer 3",
                    "Attended the home with social care after the hospital's referral; the partner was arrested.",
                    "Investigation opened.",
                    False,
                ),
            ],
        }
        for participation in review.participations.select_related("imr", "agency"):
            key = "hospital" if participation.agency == self.agencies["hospital"] else "police"
            self._chronology(participation.imr, rows[key])
            self._complete_imr(
                participation.imr,
                "Make sure the health visitor is told of every domestic abuse call to a home with a baby."
                if key == "hospital"
                else "Always see and record every child in the home at a domestic abuse call.",
                "Agree an information-sharing protocol between health visiting and the domestic abuse unit."
                if key == "hospital"
                else "Brief every response officer on seeing the children at domestic abuse calls.",
            )
        review = services.review_move(actor=self.people["manager"], review=review, move="complete_imrs")
        scenarios.commission_overview(
            manager=self.people["manager"], review=review, author=self.people["overview"]
        )
        return True

    def _case_review_engaging_agencies(self):
        if Referral.objects.filter(child_name="Jayden Moore").exists():
            return False
        referral = self._refer(
            child="Jayden Moore",
            days_ago=24,
            kind=Referral.IncidentKind.OTHER,
            agencies=["school", "social_care"],
            police=False,
            dob_years=11,
            family="Sharon Moore, mother",
            summary="Jayden, eleven, was found living alone for several weeks while his mother was in hospital.",
        )
        review = self._decide(
            referral,
            days_ago=24,
            outcome=PanelDecision.Outcome.CASE_REVIEW,
            criteria={"criterion_f"},
            rationale="The criteria for an SCR are not met, but there are lessons about how the school and "
            "social care shared information over the summer holidays.",
        )
        self._staff(
            review,
            [
                ("school", "Teacher 1", "Ann Pryce", "Class teacher"),
                ("social_care", "Social Worker 1", "Joe Mensah", "Social worker"),
            ],
        )
        self._agree_tor(review, ["How was Jayden's absence from school followed up?"], period_months=12)
        services.review_move(actor=self.people["manager"], review=review, move="engage_agencies")
        school = review.participations.get(agency=self.agencies["school"])
        services.participation_secure_files(
            actor=self.people["manager"],
            participation=school,
            originals_location="Head teacher's office, locked filing cabinet",
            copies_made=True,
        )
        return True

    def _management_review_at_board(self):
        if Referral.objects.filter(child_name="Amira Haddad").exists():
            return False
        referral = self._refer(
            child="Amira Haddad",
            days_ago=112,
            kind=Referral.IncidentKind.DEATH,
            agencies=["hospital", "police"],
            police=False,
            dob_years=0,
            family="Yasmin Haddad, mother",
            summary="Amira died at four months of age. The post-mortem found pneumonia; neglect was suspected "
            "because the family had not sought help for several days.",
        )
        review = self._decide(
            referral,
            days_ago=112,
            outcome=PanelDecision.Outcome.MANAGEMENT_REVIEW,
            criteria={"criterion_a"},
            rationale="Neglect was suspected at first, but the coroner's early findings point to a sudden illness.",
            justification="The coroner's interim findings and the police's closure of their enquiry make it unlikely "
            "that neglect was a factor; a management review will still look at the health service's response.",
        )
        self._staff(
            review,
            [
                ("hospital", "GP Receptionist 1", "Beth Lowry", "Receptionist"),
                ("police", "Police Officer 2", "Sam Ince", "Police constable"),
            ],
        )
        self._agree_tor(review, ["Did the family know how to get help out of hours?"], period_months=5)
        authors = {
            self.agencies["hospital"].pk: self.people["author"],
            self.agencies["police"].pk: self.people["author2"],
        }
        review = self._engage(review, authors)
        services.review_move(actor=self.people["manager"], review=review, move="start_imrs")
        base = referral.incident_date
        for participation in review.participations.select_related("imr", "agency"):
            imr = participation.imr
            self._chronology(
                imr,
                [
                    (
                        base - datetime.timedelta(days=20),
                        None,
                        "phone call",
                        "mother",
                        "GP Receptionist 1",
                        "Mother rang for an appointment; offered one in three days.",
                        "Appointment booked.",
                        True,
                    ),
                    (
                        base,
                        datetime.time(6, 10),
                        "assessment",
                        "child",
                        "Police Officer 2",
                        "Attended the home with the ambulance service.",
                        "Sudden infant death protocol started.",
                        False,
                    ),
                ],
            )
            self._complete_imr(
                imr,
                "Review how reception staff triage calls about babies under six months.",
                "Train reception staff on the red-flag symptoms in infants.",
            )
        review = services.review_move(actor=self.people["manager"], review=review, move="complete_imrs")
        scenarios.commission_overview(
            manager=self.people["manager"], review=review, author=self.people["overview"]
        )
        review = services.review_move(actor=self.people["manager"], review=review, move="start_overview")
        scenarios.write_overview(
            review=review,
            report="Overview report (demo).",
            recommendation="The LSCB should publish guidance for parents on getting help for a sick baby out of hours.",
            accept_note="A thorough IMR.",
            critique="A thorough chronology and an honest analysis of the calls the family made; it answers "
            "the terms of reference.",
        )
        review = services.review_move(
            actor=self.people["overview"],
            review=review,
            move="send_to_board",
            note="Overview complete.",
        )
        self._monitored_actions(review)
        return True

    def _case_review_published(self):
        """A case review at its executive summary, published: so that /summaries/ has one to show."""
        if Referral.objects.filter(child_name="Kayden Moss").exists():
            return False
        people = self.people
        referral = self._refer(
            child="Kayden Moss",
            days_ago=150,
            kind=Referral.IncidentKind.SERIOUS_INJURY,
            agencies=["hospital", "police"],
            police=False,
            dob_years=1,
            family="Shannon Moss, mother\nRyan Moss, father",
            summary="Kayden, aged 18 months, was admitted with a scald to his legs; the explanation given did not "
            "match the injury.",
        )
        review = self._decide(
            referral,
            days_ago=150,
            outcome=PanelDecision.Outcome.CASE_REVIEW,
            criteria={"criterion_f"},
            rationale="The injury was not life-threatening, but the agencies did not share what they knew.",
        )
        self._staff(
            review,
            [
                ("hospital", "Health Visitor 2", "Carol Ashby", "Health visitor"),
                ("police", "Police Officer 3", "Dev Malik", "Police constable"),
            ],
        )
        self._agree_tor(
            review, ["How did the agencies share what they knew about the home?"], period_months=12
        )
        authors = {
            self.agencies["hospital"].pk: people["author"],
            self.agencies["police"].pk: people["author2"],
        }
        review = self._engage(review, authors)
        services.review_move(actor=people["manager"], review=review, move="start_imrs")
        base = referral.incident_date
        for participation in review.participations.select_related("imr", "agency"):
            self._chronology(
                participation.imr,
                [
                    (
                        base - datetime.timedelta(days=40),
                        None,
                        "home visit",
                        "mother",
                        "Health Visitor 2",
                        "Routine visit; the home was cold and the child had a cough.",
                        "Advice given on heating support.",
                        True,
                    ),
                ],
            )
            self._complete_imr(
                participation.imr,
                "Share concerns about home conditions with children's social care.",
                "Add home conditions to the health visiting record template."
                if participation.agency == self.agencies["hospital"]
                else "Record the home's conditions at every attendance where a child lives.",
            )
        review = services.review_move(actor=people["manager"], review=review, move="complete_imrs")
        scenarios.commission_overview(manager=people["manager"], review=review, author=people["overview"])
        review = services.review_move(actor=people["manager"], review=review, move="start_overview")
        scenarios.write_overview(
            review=review,
            report="Overview report (demo).",
            recommendation="The LSCB should agree how agencies tell each other about poor home conditions.",
        )
        review = services.review_move(actor=people["overview"], review=review, move="send_to_board")
        review = services.review_move(actor=people["board"], review=review, move="board_approve")
        for recommendation in review.recommendations.filter(imr__isnull=True):
            services.action_item_add(
                actor=people["manager"],
                review=review,
                agency=None,
                recommendation=recommendation,
                description="Agree a shared protocol on home conditions.",
                owner="LSCB business manager",
                due_on=timezone.localdate() + datetime.timedelta(days=60),
            )
        review = services.review_move(
            actor=people["manager"], review=review, move="prepare_executive_summary"
        )
        services.summary_save(
            actor=people["overview"],
            review=review,
            title="Child K",
            text=(
                "Child K, aged 18 months, was taken to hospital with a scald. The agencies that knew the family "
                "had each seen signs that the home was cold and poorly kept, but none of them shared what it had "
                "seen with the others.\n\n"
                "The review found that health visitors, the police and the GP practice each recorded concerns "
                "about the home over several months. No agency had the whole picture, and no referral was made "
                "to children's social care.\n\n"
                "The board has agreed a protocol under which any agency that sees poor home conditions tells "
                "the others, and the health visiting record now asks about them at every visit."
            ),
        )
        services.summary_publish(
            actor=people["manager"],
            review=review,
            publish_from=timezone.localdate() - datetime.timedelta(days=7),
            publish_until=None,
        )
        self._monitored_actions(review)
        return True
