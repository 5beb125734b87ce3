"""Domain rules with no request in sight. Views, CLI, API and tests call these."""
