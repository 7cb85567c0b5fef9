"""Work off the GUI thread: the engine's worker thread and background operations with progress."""
