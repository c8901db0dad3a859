"""Configuration a performer writes: the performer's config file (``performer.py``)."""
