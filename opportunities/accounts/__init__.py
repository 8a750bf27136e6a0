"""Accounts: signing up, and your data (export, import, delete)."""
