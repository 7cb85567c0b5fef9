"""Keychains for the tests: an in-memory one, and none at all (what a bare Linux machine has). The tests
never touch the developer's real keychain."""

from __future__ import annotations

from contextlib import contextmanager

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@contextmanager
def using_keyring(backend: KeyringBackend):
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def no_keychain() -> KeyringBackend:
    return fail.Keyring()


@pytest.fixture
def memory_keyring():
    """An empty in-memory keychain for the test."""
    with using_keyring(MemoryKeyring()) as backend:
        yield backend


@pytest.fixture
def no_keyring():
    """No keychain at all, as on a bare Linux machine."""
    with using_keyring(no_keychain()) as backend:
        yield backend
