"""What every part of the window uses: messages in the user's language, themes and fonts, the
settings' controls, keyboard shortcuts, the app's QSettings keys."""
