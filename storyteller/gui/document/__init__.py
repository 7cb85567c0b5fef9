"""The open story as the window holds it: the document and its undo stack, the editor, the title
and the word count."""
