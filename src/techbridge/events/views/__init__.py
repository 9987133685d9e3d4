"""Thin web views of the events app: `public` (events and their setup), `participant` (registration,
marketplace, requests, agenda) and `organiser` (approval, scheduling, the day, statistics)."""
