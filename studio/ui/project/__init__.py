"""Opening and keeping a project on screen: trust, the kernel load, the source preview,
the folder watcher.
"""
