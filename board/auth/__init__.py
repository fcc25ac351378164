"""Accounts: registration, sign-in and sign-out."""
