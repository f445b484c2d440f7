"""Reported values and evidence per unit and year."""
