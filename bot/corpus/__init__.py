"""Sources -> cleaned, structured, cited passages."""
