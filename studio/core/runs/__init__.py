"""Runs seen from the window: their plan and forecast, staleness, node states, records
and where they execute.
"""
