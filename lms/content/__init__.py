"""Course packages (the courses/ format): load, validate, export; Markdown rendering."""
