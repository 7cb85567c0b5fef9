"""What the tests share: fixtures (registered by tests/conftest.py), builders and small helpers.

Test modules import from here, never from each other."""
