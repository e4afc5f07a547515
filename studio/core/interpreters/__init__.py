"""Another Python than the studio's: its environments, checking it, the agent's source
for it, package names.
"""
