"""Steering: push a continuation toward topics and moods (see steerers.py for the three stages).

Importing this package does not import torch: settings.py, topics.py and words.py are plain
Python for the GUI thread; build.py and the rest run where the model lives.
"""

from storyteller.engine.settings.steering import LatentOptions, SteeringSettings

__all__ = ["LatentOptions", "SteeringSettings"]
