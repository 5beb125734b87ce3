"""The trainer studio blueprint."""
