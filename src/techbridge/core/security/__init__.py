"""Abuse limits, backups, personal data and retention: the platform's reliability and security pieces."""
