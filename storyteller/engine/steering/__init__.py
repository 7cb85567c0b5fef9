"""Steering: push a continuation toward topics and moods (see steerers.py for the three stages).

Importing this package does not import torch: topics.py is plain Python for the GUI thread (the
settings live in engine/settings/steering.py, the word forms in engine/korean/words.py); build.py
and the rest run where the model lives.
"""

from __future__ import annotations


def steering_hooks(settings, loaded, max_new_tokens: int):
    """The decode loop's hooks for steering toward topics and moods: the Generator's `steer`.
    Imports torch (through build.py) only when a request steers."""
    from storyteller.engine.steering.build import steering_hooks as build

    return build(settings, loaded, max_new_tokens)
