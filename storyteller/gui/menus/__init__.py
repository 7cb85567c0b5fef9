"""Menus that are more than a list of actions: Help and Settings > Language."""
