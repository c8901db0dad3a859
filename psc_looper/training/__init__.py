"""Training: the offline data, split, baselines, training runs and evaluation of our bundles.

Tools only: nothing here runs inside the live instrument. music21 (melody corpus) and
Debian's ``mma`` (drum grooves) are needed only by the data steps (see
``requirements/train.txt``).
"""
