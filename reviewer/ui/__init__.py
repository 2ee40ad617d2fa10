"""Everything Qt: the main window, item models, widgets and background jobs."""
