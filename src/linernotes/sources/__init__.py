"""Sources: read the outside world and turn it into domain records."""
