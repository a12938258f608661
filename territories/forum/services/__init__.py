"""The forum's rules (docs/domain.md, "Forum"): projects (submit, moderate),
voting (one person one vote), winners and their implementation, and the figures
the indicators dashboard reads."""
