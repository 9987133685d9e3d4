"""A year of the programme written as real CSV sheets and imported through the programme app's import service."""

from __future__ import annotations

import csv
from pathlib import Path

from techbridge.programme.services import ACTIVITY_COLUMNS, PARTICIPANT_COLUMNS, import_activities, import_participants

ACTIVITIES = [
    ["WS-2019-01", "Workshop on policies to support Grassroots Innovation", "workshop", "2019-01-27", "2019-01-27",
     "Ahmedabad", "India", "supported", "national_innovation_systems", "Indian Institute of Management Ahmedabad",
     "42", "Bangladesh; Cambodia; India; Timor Leste", "9; 17"],
    ["WS-2019-02", "International Workshop on IP Management and Technology Licensing", "workshop", "2019-06-18",
     "2019-06-20", "Bangkok", "Thailand", "co_organised", "national_innovation_systems",
     "Thailand Institute of Scientific and Technological Research; Ministry of Higher Education, Science, "
     "Research and Innovation", "44", "Lao PDR; Viet Nam; Iran; Republic of Korea", "9"],
    ["RW-2019-03", "Regional Workshop on Innovation and Technology Transfer", "workshop", "2019-10-30",
     "2019-10-31", "Tashkent", "Uzbekistan", "co_organised", "technology_transfer",
     "Ministry of Innovative Development", "80", "India; Uzbekistan", "9"],
    ["SM-2019-04", "Study Mission to Bhutan", "study_mission", "2019-04-09", "2019-04-10", "Thimphu", "Bhutan",
     "organised", "technology_transfer", "Royal Monetary Authority of Bhutan", "", "", "17"],
    ["CF-2018-01", "Conference of the previous year", "conference", "2018-11-05", "2018-11-05", "Kuala Lumpur",
     "Malaysia", "organised", "emerging_technologies", "Ministry of Energy", "118", "Malaysia", "7"],
]

#: Individual records for the study mission (so it is counted from records: 3 participants from 2 countries).
PARTICIPANTS = [
    ["SM-2019-04", "Karma Wangchuk", "Department of Cottage and Small Industry", "Bhutan", "policy_maker", "male",
     "participant"],
    ["SM-2019-04", "Pema Choden", "Royal Monetary Authority", "Bhutan", "policy_maker", "female", "participant"],
    ["SM-2019-04", "Anil Kumar", "APCTT", "India", "other", "male", "resource_person"],
    ["SM-2019-04", "Sonam Dorji", "Organising team", "Bhutan", "other", "male", "organiser"],
]


#: Contributions of the year, in the funding app's import format.
CONTRIBUTION_COLUMNS = ["member_state", "year", "kind", "amount_usd", "note", "date", "reference"]
CONTRIBUTIONS = [
    ["China", "2019", "pledge", "30000", "", "", "Decision 75/13"],
    ["India", "2019", "pledge", "400000", "host country", "", "Decision 75/13"],
    ["Thailand", "2019", "pledge", "15000", "", "", "Decision 75/13"],
    ["Bangladesh", "2019", "cash_received", "20000", "", "2019-03-01", ""],
    ["China", "2019", "cash_received", "30000", "", "2019-07-15", ""],
    ["Bhutan", "2019", "in_kind", "50000", "venue of the study mission", "2019-04-09", ""],
    ["India", "2018", "pledge", "100000", "previous year", "", ""],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def import_year(*, tmp_path: Path, actor, activities: list[list[str]] | None = None) -> None:
    """Import the activities and the participants sheets; fail loudly on any import problem."""
    sheet = write_csv(tmp_path / "activities.csv", ACTIVITY_COLUMNS, ACTIVITIES if activities is None else activities)
    result = import_activities(actor=actor, source=sheet, filename=sheet.name)
    assert result.ok, result.report.as_text()
    people = write_csv(tmp_path / "participants.csv", PARTICIPANT_COLUMNS, PARTICIPANTS)
    result = import_participants(actor=actor, source=people, filename=people.name)
    assert result.ok, result.report.as_text()


def import_contributions_sheet(*, tmp_path: Path, actor) -> None:
    """Contributions through the funding app's import service."""
    from techbridge.funding.services import import_contributions

    sheet = write_csv(tmp_path / "contributions.csv", CONTRIBUTION_COLUMNS, CONTRIBUTIONS)
    result = import_contributions(actor=actor, path_or_file=sheet, filename=sheet.name)
    assert result.report.ok and result.created == len(CONTRIBUTIONS), result.report.as_text()
