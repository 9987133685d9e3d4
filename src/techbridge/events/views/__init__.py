"""Thin web views of the events app: `public` (events and their setup), `participant` (registration,
marketplace, requests, agenda) and `organiser` (approval, scheduling, the day, statistics)."""

from django.shortcuts import render
from django.utils import timezone


def render_event(request, template: str, context: dict, status: int = 200):
    """Render with the event's time zone active, so every time on the page reads as on the spot."""
    event = context.get("event")
    if event is None:
        return render(request, template, context, status=status)
    with timezone.override(event.time_zone):
        return render(request, template, context, status=status)
