"""The manage blueprint."""
