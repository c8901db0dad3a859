"""The loop engine: loop notes, click track, recording, voices, the Looper, the transport."""
