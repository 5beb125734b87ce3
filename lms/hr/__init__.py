"""The hr blueprint."""
