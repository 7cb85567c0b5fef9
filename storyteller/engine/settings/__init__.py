"""What the writer asks for, declared once: the schema, generation, steering and training settings,
presets and the README's settings table. Plain validated data, no torch."""
