"""The graph as data: snapshots that cross processes, what changed, lineage, what the
canvas displays.
"""
