"""The window's jobs, one each (files, writing, play, the model, token alternatives, next words…):
each gets what it uses as constructor arguments, so the window's module, where they are made and
connected, shows who depends on whom."""
