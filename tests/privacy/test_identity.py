"""Pseudonyms, the generated secret file and signed button data."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from privacy.identity import (
    SECRET_FILE_NAME,
    CallbackCodec,
    InvalidCallback,
    Pseudonymizer,
    load_or_create_secret,
    secret_path_for,
)

SECRET = b"test-secret-not-for-production"
OTHER_SECRET = b"another-secret-entirely"
# Realistic Telegram user ids: long enough that a hex digest cannot contain one by chance.
USER_IDS = (123456789, 987654321012, 5000000001, 7412589630)
HEX64 = re.compile(r"^[0-9a-f]{64}$")


# --- pseudonyms ------------------------------------------------------------------------------


@pytest.mark.parametrize("user_id", USER_IDS)
def test_pseudonym_is_64_hex_characters(user_id: int) -> None:
    assert HEX64.match(Pseudonymizer(SECRET).telegram(user_id))
    assert HEX64.match(Pseudonymizer(SECRET).console(str(user_id)))


def test_pseudonym_is_stable() -> None:
    for user_id in USER_IDS:
        first = Pseudonymizer(SECRET).telegram(user_id)
        assert Pseudonymizer(SECRET).telegram(user_id) == first
        assert Pseudonymizer(bytes(SECRET)).telegram(user_id) == first
    assert Pseudonymizer(SECRET).console("sam") == Pseudonymizer(SECRET).console("sam")


def test_pseudonym_differs_per_secret() -> None:
    for user_id in USER_IDS:
        assert Pseudonymizer(SECRET).telegram(user_id) != Pseudonymizer(OTHER_SECRET).telegram(
            user_id
        )
    assert Pseudonymizer(SECRET).console("sam") != Pseudonymizer(OTHER_SECRET).console("sam")


def test_pseudonym_differs_per_user() -> None:
    pseudonymizer = Pseudonymizer(SECRET)
    telegram = {pseudonymizer.telegram(user_id) for user_id in (*USER_IDS, 1, 2, 10, 11)}
    assert len(telegram) == len(USER_IDS) + 4
    console = {pseudonymizer.console(name) for name in ("sam", "Sam", "sam ", "noor", "")}
    assert len(console) == 5


@pytest.mark.parametrize("user_id", USER_IDS)
def test_pseudonym_never_contains_the_raw_id(user_id: int) -> None:
    pseudonym = Pseudonymizer(SECRET).telegram(user_id)
    assert str(user_id) not in pseudonym
    assert format(user_id, "x") not in pseudonym
    assert str(user_id) not in Pseudonymizer(SECRET).console(str(user_id))


def test_pseudonym_is_the_documented_hmac() -> None:
    """HMAC-SHA256(secret, str(user_id)): the contract other tools rely on."""
    import hashlib
    import hmac

    expected = hmac.new(SECRET, b"123456789", hashlib.sha256).hexdigest()
    assert Pseudonymizer(SECRET).telegram(123456789) == expected


@pytest.mark.parametrize("user_id", USER_IDS)
def test_console_pseudonyms_differ_from_telegram_ones(user_id: int) -> None:
    pseudonymizer = Pseudonymizer(SECRET)
    assert pseudonymizer.console(str(user_id)) != pseudonymizer.telegram(user_id)
    assert pseudonymizer.console("console") != pseudonymizer.telegram(0)


# --- the secret ------------------------------------------------------------------------------


def test_secret_file_is_created_once_with_mode_0600_beside_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'jeugdstem.db'}"
    path = tmp_path / "data" / SECRET_FILE_NAME
    assert secret_path_for(url) == path
    assert not path.exists()

    secret = load_or_create_secret(None, url)
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(secret) >= 32
    assert path.read_bytes().strip() == secret
    content = path.read_bytes()
    modified = path.stat().st_mtime_ns

    assert load_or_create_secret(None, url) == secret
    assert load_or_create_secret("", url) == secret  # an empty JEUGDSTEM_SECRET counts as unset
    assert path.read_bytes() == content
    assert path.stat().st_mtime_ns == modified
    assert [p.name for p in path.parent.iterdir() if p.name != "jeugdstem.db"] == [SECRET_FILE_NAME]


def test_each_new_secret_file_gets_a_new_random_secret(tmp_path: Path) -> None:
    first = load_or_create_secret(None, f"sqlite:///{tmp_path / 'a' / 'jeugdstem.db'}")
    second = load_or_create_secret(None, f"sqlite:///{tmp_path / 'b' / 'jeugdstem.db'}")
    assert first != second


def test_existing_secret_file_is_reused(tmp_path: Path) -> None:
    path = tmp_path / SECRET_FILE_NAME
    path.write_bytes(b"kept-from-last-year\n")
    path.chmod(0o600)
    assert load_or_create_secret(None, f"sqlite:///{tmp_path / 'jeugdstem.db'}") == (
        b"kept-from-last-year"
    )


def test_a_secret_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / SECRET_FILE_NAME
    path.write_bytes(b"kept-from-last-year\n")
    path.chmod(0o644)
    with pytest.raises(ValueError, match="can be read by other users: run  chmod 600"):
        load_or_create_secret(None, f"sqlite:///{tmp_path / 'jeugdstem.db'}")


def test_empty_secret_file_is_not_used_as_a_key(tmp_path: Path) -> None:
    """An empty file (a crash between create and write) must never yield an empty HMAC key."""
    path = tmp_path / SECRET_FILE_NAME
    path.write_bytes(b"")
    path.chmod(0o600)
    try:
        secret = load_or_create_secret(None, f"sqlite:///{tmp_path / 'jeugdstem.db'}")
    except (OSError, ValueError, RuntimeError):
        return  # refusing to start is acceptable
    assert len(secret) >= 32


def test_configured_secret_wins_and_writes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jeugdstem.db'}"
    (tmp_path / SECRET_FILE_NAME).write_bytes(b"file-secret\n")
    assert load_or_create_secret("from-the-environment", url) == b"from-the-environment"

    empty = tmp_path / "empty"
    empty.mkdir()
    assert load_or_create_secret("zoé", f"sqlite:///{empty / 'jeugdstem.db'}") == "zoé".encode()
    assert list(empty.iterdir()) == []


def test_secret_for_postgresql_lives_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = "postgresql+asyncpg://jeugdstem:pw@db.example/jeugdstem"
    assert secret_path_for(url) == tmp_path / SECRET_FILE_NAME
    secret = load_or_create_secret(None, url)
    assert (tmp_path / SECRET_FILE_NAME).read_bytes().strip() == secret


# --- signed callback data --------------------------------------------------------------------


@pytest.fixture
def codec() -> CallbackCodec:
    return CallbackCodec(SECRET)


@pytest.mark.parametrize(
    ("kind", "args"),
    [("c", ()), ("a", ("area", "centrum")), ("t", ("free-time", "sport", "3")), ("l", ("fr",))],
)
def test_callback_round_trip(codec: CallbackCodec, kind: str, args: tuple[str, ...]) -> None:
    data = codec.encode(kind, *args)
    assert len(data.encode("utf-8")) <= CallbackCodec.MAX_BYTES
    assert codec.decode(data) == (kind, args)
    # Another codec with the same secret (a restarted bot) accepts it too.
    assert CallbackCodec(SECRET).decode(data) == (kind, args)


def test_callback_data_is_deterministic(codec: CallbackCodec) -> None:
    assert codec.encode("a", "area", "walle") == codec.encode("a", "area", "walle")
    assert codec.encode("a", "area", "walle") != codec.encode("a", "area", "heule")


def test_callback_arguments_never_change_arity(codec: CallbackCodec) -> None:
    """An argument with the separator in it must not decode as two arguments."""
    try:
        data = codec.encode("a", "area", "a|b")
    except ValueError:
        return  # refusing to encode it is fine
    assert codec.decode(data) == ("a", ("area", "a|b"))


def test_tampered_arguments_are_rejected(codec: CallbackCodec) -> None:
    data = codec.encode("a", "age", "13-15")
    payload, _, tag = data.rpartition("|")
    for forged in (
        data.replace("13-15", "under-13"),
        data.replace("|age|", "|area|"),
        "x" + data[1:],
        f"{payload}|extra|{tag}",
        f"a|age|{tag}",
    ):
        with pytest.raises(InvalidCallback):
            codec.decode(forged)


def test_tampered_tag_is_rejected(codec: CallbackCodec) -> None:
    data = codec.encode("a", "age", "13-15")
    payload, _, tag = data.rpartition("|")
    flipped = ("A" if tag[0] != "A" else "B") + tag[1:]
    for forged in (
        f"{payload}|{flipped}",
        f"{payload}|{tag[:-1]}",
        f"{payload}|{tag}x",
        f"{payload}|",
        f"{payload}|{tag}|{tag}",
    ):
        assert forged != data
        with pytest.raises(InvalidCallback):
            codec.decode(forged)


@pytest.mark.parametrize(
    "data",
    ["é|ü|ñ", "a|b|ÿÿÿÿÿÿÿÿ", "🙂|🙂", "\x00|\x00", "||||", "|", "a|b|\udcff", "\ud800|x"],
)
def test_garbage_is_rejected(codec: CallbackCodec, data: str) -> None:
    with pytest.raises(InvalidCallback):
        codec.decode(data)


def test_data_signed_with_another_secret_is_rejected(codec: CallbackCodec) -> None:
    foreign = CallbackCodec(OTHER_SECRET).encode("a", "age", "13-15")
    with pytest.raises(InvalidCallback):
        codec.decode(foreign)


@pytest.mark.parametrize("data", ["", "c", "consent", "a-age-13-15"])
def test_data_without_separator_is_rejected(codec: CallbackCodec, data: str) -> None:
    with pytest.raises(InvalidCallback):
        codec.decode(data)


def test_invalid_callback_is_a_value_error() -> None:
    assert issubclass(InvalidCallback, ValueError)


def test_encode_refuses_more_than_64_bytes(codec: CallbackCodec) -> None:
    overhead = len(codec.encode("a", "").encode("utf-8"))  # "a||<tag>"
    fits = codec.encode("a", "x" * (CallbackCodec.MAX_BYTES - overhead))
    assert len(fits.encode("utf-8")) == CallbackCodec.MAX_BYTES
    assert codec.decode(fits)[1] == ("x" * (CallbackCodec.MAX_BYTES - overhead),)

    with pytest.raises(ValueError, match="too long"):
        codec.encode("a", "x" * (CallbackCodec.MAX_BYTES - overhead + 1))
    with pytest.raises(ValueError, match="too long"):
        codec.encode("a", "question-with-a-long-id", "option-with-a-long-id", "and-more")
    # Bytes count, not characters: 20 two-byte characters are 40 bytes.
    with pytest.raises(ValueError, match="too long"):
        codec.encode("a", "é" * (CallbackCodec.MAX_BYTES - overhead - 10))
