"""User-facing views: the live status display."""
