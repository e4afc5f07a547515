"""Files the studio keeps for a project in the user's cache folder: where they live,
what reading a file gave, parsed trees.
"""
