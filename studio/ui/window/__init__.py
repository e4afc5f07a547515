"""The main window: its parts wired together, its actions, docks, panel sync and status bar."""
