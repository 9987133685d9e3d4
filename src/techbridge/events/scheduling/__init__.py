"""Brokerage-event meeting scheduler: put every accepted meeting into a slot and at a table.

Pure Python (no Django): the `events` app builds an Instance from its models and calls `schedule`.
See docs/scheduler.md for the file format, the method and the benchmark figures.
"""

from techbridge.events.scheduling.check import check_schedule, count_idle_gaps
from techbridge.events.scheduling.greedy import greedy_schedule
from techbridge.events.scheduling.instance import (
    Instance,
    InstanceError,
    Meeting,
    Participant,
    Slot,
    dump_instance,
    load_instance,
    validate_instance,
)
from techbridge.events.scheduling.result import Assignment, ScheduleResult
from techbridge.events.scheduling.solver import schedule

__all__ = [
    "Assignment",
    "Instance",
    "InstanceError",
    "Meeting",
    "Participant",
    "ScheduleResult",
    "Slot",
    "check_schedule",
    "count_idle_gaps",
    "dump_instance",
    "greedy_schedule",
    "load_instance",
    "schedule",
    "validate_instance",
]
