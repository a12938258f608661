"""The public HTML pages of a report (the map's reporting form lives in `frontend`)."""
