"""The support centre's workspace (staff only): moderation, bulk status changes with
response templates, printable meeting agendas."""
