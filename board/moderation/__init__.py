"""Moderation: queues and decisions for staff."""
