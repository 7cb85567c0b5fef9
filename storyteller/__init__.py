"""Storyteller (이야기꾼): continue Korean stories with KoGPT2, locally."""

__version__ = "0.1.0"
