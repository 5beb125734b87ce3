"""The learn blueprint."""
