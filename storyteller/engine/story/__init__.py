"""The story and what is done with it: the document, its version tree and undo history, world info,
the context the model reads, modes, continuation, story files, formats, scenarios and manuscripts."""
