"""The engine's ground floor: errors for people, where files live, the device and threads, atomic file writes.
Imports nothing else of the engine."""
