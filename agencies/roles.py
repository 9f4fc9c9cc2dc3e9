"""The roles of access.md, each held as a Django group of the same name."""

from django.db import models


class Role(models.TextChoices):
    REFERRER = "Referrer", "Referrer"
    PANEL_MEMBER = "Panel member", "Panel member"
    PANEL_CHAIR = "Panel chair", "Panel chair"
    BUSINESS_MANAGER = "Business manager", "Business manager"
    AGENCY_SENIOR_MANAGER = "Agency senior manager", "Agency senior manager"
    IMR_AUTHOR = "IMR author", "IMR author"
    OVERVIEW_AUTHOR = "Overview author", "Overview author"
    BOARD_MEMBER = "Board member", "Board member"
    QA_SUBGROUP = "QA sub-group", "QA sub-group member"


# The panel chair is a panel member who also chairs: every panel right applies.
PANEL = (Role.PANEL_MEMBER, Role.PANEL_CHAIR)
# Roles that see every review's summary and timeline (access.md).
SEES_ALL_REVIEWS = (*PANEL, Role.BUSINESS_MANAGER, Role.BOARD_MEMBER, Role.QA_SUBGROUP)
# Roles that can see the real people behind the pseudonyms (access.md): with REQUIRE_2FA they
# sign in with a second factor.
SEES_IDENTITIES = (*PANEL, Role.BUSINESS_MANAGER, Role.IMR_AUTHOR, Role.OVERVIEW_AUTHOR)
