"""The one write path of brokerage events, one module per concern (see docs/events.md).

`events` (events, sessions, slots, participation types), `registrations` (sign-up, approval, availability),
`requests` (meeting requests), `booking` (manual slot/table booking under a row lock), `scheduling`
("Schedule all" through `techbridge.events.scheduling`), `day` (check-in and follow-up outcomes).
"""
