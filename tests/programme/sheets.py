"""Writing real .csv and .xlsx files for the import tests."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

from techbridge.programme.services import ACTIVITY_COLUMNS, PARTICIPANT_COLUMNS

HEADER = ACTIVITY_COLUMNS
GOOD_ROWS = [
    ["WS-2019-01", "Workshop on policies to support Grassroots Innovation", "workshop", "2019-01-27",
     "2019-01-27", "Ahmedabad", "India", "supported", "national_innovation_systems",
     "Indian Institute of Management Ahmedabad", "42", "Bangladesh; Cambodia; India; Timor Leste", "9; 17"],
    ["WS-2019-02", "International Workshop on IP Management and Technology Licensing", "Workshop",
     "2019-06-18", "2019-06-20", "Bangkok", "THA", "co_organised", "National innovation systems",
     "Thailand Institute of Scientific and Technological Research; Ministry of Higher Education, Science, "
     "Research and Innovation", "44", "Lao PDR; Viet Nam; Iran; Republic of Korea", "9"],
    ["WEB-2019-03", "Webinar on technology transfer offices", "webinar", "2019-09-01", "2019-09-01", "",
     "online", "organised", "technology_transfer", "", "", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] | None = None, *,
              encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER if header is None else header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list], header: list[str] | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER if header is None else header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def participants_csv(path: Path, rows: list[list[str]]) -> Path:
    return write_csv(path, rows, header=PARTICIPANT_COLUMNS)
