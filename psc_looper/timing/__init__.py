"""Time: clocks, meter and loop structure, tempo."""
