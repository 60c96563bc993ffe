"""Jobs that run by the clock, in one scheduler process (``flask --app caseflow scheduler``)."""
