"""The window's jobs, one each (files, writing, play, the model, token alternatives, next words…):
each gets what it uses as constructor arguments, so main_window.py shows who depends on whom."""
