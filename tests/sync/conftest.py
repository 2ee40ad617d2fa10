import pytest


@pytest.fixture(autouse=True)
def _keyring(memory_keyring):
    return memory_keyring
