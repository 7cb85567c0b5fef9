"""The one decode loop and what feeds it: requests and events, the logits stage, stop strings, bans,
trimming, token alternatives. Imports no torch (the runtimes and steering do)."""
