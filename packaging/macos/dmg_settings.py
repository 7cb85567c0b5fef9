# dmgbuild settings for the macOS disk image (see packaging/README.md for the steps):
#   build/pack-venv/bin/dmgbuild -s packaging/macos/dmg_settings.py -D app=build/bundle/Storyteller.app \
#       "Storyteller" dist/storyteller-VERSION-macos-ARCH.dmg
# A window with the app and a link to /Applications to drag it onto.
import os.path

application = defines.get("app", "build/bundle/Storyteller.app")  # noqa: F821 (dmgbuild provides `defines`)
appname = os.path.basename(application)

format = defines.get("format", "UDZO")  # noqa: F821 (zlib-compressed, read-only)
files = [application]
symlinks = {"Applications": "/Applications"}
icon = os.path.join(application, "Contents", "Resources", "storyteller.icns")  # the volume's icon

window_rect = ((200, 120), (600, 360))
default_view = "icon-view"
show_icon_preview = False
icon_size = 128
text_size = 14
icon_locations = {appname: (150, 170), "Applications": (450, 170)}
