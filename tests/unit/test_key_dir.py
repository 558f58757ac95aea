"""Where the outbox key file goes when there is no OS keyring."""

from __future__ import annotations

from pathlib import Path

from desktop.crypto import KEY_DIR_ENV, DataKeyStore, default_key_dir


def test_windows_keys_go_to_a_folder_of_their_own_in_local_app_data(tmp_path: Path):
    local = tmp_path / "AppData" / "Local"
    key_dir = default_key_dir("win32", {"LOCALAPPDATA": str(local), "APPDATA": "roaming"})
    assert key_dir == local / "HallCounter" / "Keys"
    # platformdirs puts the data directory at %LOCALAPPDATA%\hall-counter on Windows: the key
    # folder must not be inside it (the outbox refuses such a folder), nor in the roaming profile.
    data_dir = local / "hall-counter"
    assert data_dir not in key_dir.parents
    store = DataKeyStore(data_dir, key_dir=key_dir)
    key = store.load_or_create()
    assert len(key) == 32 and store.key_file.parent == key_dir
    assert DataKeyStore(data_dir, key_dir=key_dir).load_or_create() == key


def test_linux_keys_stay_in_the_config_folder_and_the_override_wins(tmp_path: Path):
    assert default_key_dir("linux", {}).parts[-2:] == ("hall-counter", "keys")
    assert default_key_dir("win32", {KEY_DIR_ENV: str(tmp_path)}) == tmp_path
