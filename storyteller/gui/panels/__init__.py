"""The window's panels and docks: each shows part of the story or its settings and follows the
document's `changed` signal."""
