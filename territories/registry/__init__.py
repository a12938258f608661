"""The spatial registry: the district's places, which every other domain refers to."""
