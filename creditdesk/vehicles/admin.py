"""Vehicles are deliberately not in the Django admin.

The admin belongs to the system administrator, who sees no customer data (segregation of duties,
docs/security.md); vehicles change only through the services, from the pages and the API.
"""
