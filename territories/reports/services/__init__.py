"""Multi-step writes of the domain; models stay about data and invariants."""
