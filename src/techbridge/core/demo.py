"""Demo people and organisations: the centre's staff, national focal points, and organisations of the region."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from techbridge.core.models import FocalPoint, Membership, Organisation, User

DEMO_PASSWORD = "techbridge-demo"

#: (name, type, size, country) — partner institutions named in the centre's annual report, plus SMEs.
ORGANISATIONS = [
    ("Department of Cottage and Small Industry, Ministry of Economic Affairs", "government", "", "BT"),
    ("Royal Monetary Authority of Bhutan", "government", "", "BT"),
    ("Bhutan Chamber of Commerce and Industry", "association", "", "BT"),
    ("Indian Institute of Management Ahmedabad", "university", "large", "IN"),
    ("V.V. Giri National Labour Institute", "rd_institution", "medium", "IN"),
    ("Human Resource Development Centre, CSIR", "rd_institution", "medium", "IN"),
    ("Thailand Institute of Scientific and Technological Research", "rd_institution", "large", "TH"),
    ("Ministry of Higher Education, Science, Research and Innovation", "government", "", "TH"),
    ("Ministry of Innovative Development of the Republic of Uzbekistan", "government", "", "UZ"),
    ("Ministry of Energy, Science, Technology, Environment and Climate Change", "government", "", "MY"),
    ("Yunnan High Tech Enterprises", "sme", "medium", "CN"),
    ("Chongqing Renewable Energy Society", "association", "small", "CN"),
    ("Thimphu Wood Craft Cooperative", "sme", "micro", "BT"),
    ("Paro Agro Processing", "sme", "small", "BT"),
    ("Dhaka Jute Innovations", "sme", "small", "BD"),
    ("Kathmandu Solar Works", "sme", "micro", "NP"),
    ("Hanoi Precision Mechanics", "sme", "medium", "VN"),
    ("Cebu Food Technologies", "sme", "small", "PH"),
    ("Colombo Rubber Research Labs", "rd_institution", "medium", "LK"),
    ("Jakarta Water Solutions", "sme", "small", "ID"),
    ("Seoul Smart Factory Co.", "large_company", "large", "KR"),
    ("Almaty Agritech", "sme", "small", "KZ"),
    ("Vientiane Rice Processing", "sme", "micro", "LA"),
    ("Tehran Nanotech Park", "intermediary", "medium", "IR"),
    ("Phnom Penh Clean Energy", "sme", "small", "KH"),
    ("Suva Marine Products", "sme", "micro", "FJ"),
]

FOCAL_POINTS = {
    "BT": "focal-bt",
    "IN": "focal-in",
    "TH": "focal-th",
    "CN": "focal-cn",
    "MY": "focal-my",
    "UZ": "focal-uz",
    "BD": "focal-bd",
    "NP": "focal-np",
    "VN": "focal-vn",
    "PH": "focal-ph",
}


def _user(email: str, *, full_name: str, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_staff": staff, "is_superuser": staff}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load(*, stdout) -> None:
    _user("staff@techbridge.local", full_name="Centre Staff", staff=True)
    for iso2, local in FOCAL_POINTS.items():
        user = _user(f"{local}@techbridge.local", full_name=f"National focal point ({iso2})")
        FocalPoint.objects.get_or_create(user=user, country_id=iso2)
    for index, (name, org_type, size, country) in enumerate(ORGANISATIONS):
        organisation, _created = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "type": org_type,
                "size": size,
                "country_id": country,
                "email": f"contact{index}@example.org",
            },
        )
        user = _user(f"member{index}@techbridge.local", full_name=f"Member of {name}"[:200])
        Membership.objects.get_or_create(user=user, organisation=organisation, defaults={"role": "admin"})
    stdout.write(f"  core: {len(ORGANISATIONS)} organisations, {len(FOCAL_POINTS)} focal points, staff user")
