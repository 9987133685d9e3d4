"""Controlled vocabularies for technology offers/requests and organisations.

Why: the codes follow the Enterprise Europe Network (EEN) partnership-profile
vocabulary so that profiles can be exchanged with EEN-style databases without
a mapping table; labels are translatable.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

__all__ = [
    "IPR_STATUSES",
    "ORGANISATION_SIZES",
    "ORGANISATION_TYPES",
    "PARTNERSHIP_TYPES",
    "STAGES",
]

# Stage of development of a technology.
STAGES = [
    ("concept", _("Concept stage")),
    ("under_development", _("Under development / lab tested")),
    ("lab_tested", _("Lab tested")),
    ("field_tested", _("Field tested")),
    ("available_for_demonstration", _("Available for demonstration")),
    ("already_on_market", _("Already on the market")),
]

# Intellectual property rights status.
IPR_STATUSES = [
    ("patent_granted", _("Patent granted")),
    ("patent_applied", _("Patent applied for")),
    ("utility_model", _("Utility model")),
    ("design_rights", _("Design rights")),
    ("copyright", _("Copyright")),
    ("trade_secret", _("Secret know-how")),
    ("trademark", _("Trademark")),
    ("other", _("Other")),
    ("none", _("No IPR applied")),
]

# Type of partnership sought.
PARTNERSHIP_TYPES = [
    (
        "commercial_agreement_with_technical_assistance",
        _("Commercial agreement with technical assistance"),
    ),
    ("license_agreement", _("License agreement")),
    ("joint_venture", _("Joint venture agreement")),
    ("research_cooperation", _("Research cooperation agreement")),
    ("technical_cooperation", _("Technical cooperation agreement")),
    ("financial_agreement", _("Financial agreement")),
    ("manufacturing_agreement", _("Manufacturing agreement")),
    ("supplier", _("Supplier agreement")),
]

# Type of organisation.
ORGANISATION_TYPES = [
    ("sme", _("SME")),
    ("large_company", _("Large company")),
    ("university", _("University")),
    ("rd_institution", _("R&D institution")),
    ("government", _("Government agency")),
    ("ngo", _("Non-governmental organisation")),
    ("association", _("Association / chamber")),
    ("intermediary", _("Technology intermediary")),
    ("other", _("Other")),
]

# Organisation size by headcount (EU SME definition bands).
ORGANISATION_SIZES = [
    ("micro", _("Micro (1-9 employees)")),
    ("small", _("Small (10-49 employees)")),
    ("medium", _("Medium (50-249 employees)")),
    ("large", _("Large (250+ employees)")),
    ("", _("Unknown")),
]
