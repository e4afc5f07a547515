"""Runs from the window: run commands and their events, the executor choice, the result
cache limit.
"""
