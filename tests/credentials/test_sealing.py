"""The look-up layout's pieces: HKDF against RFC 5869, sealing and opening entries (pyca
`cryptography`, on any CPU), shards by tag."""

from __future__ import annotations

import random

import pytest

from generator.credentials.formats import sealing as lookup
from generator.credentials.publishing import batches


@pytest.mark.parametrize(
    ("ikm", "salt", "info", "length", "okm"),
    [
        (  # RFC 5869, test case 1
            bytes([0x0B] * 22),
            bytes(range(13)),
            bytes(range(0xF0, 0xFA)),
            42,
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        ),
        (  # RFC 5869, test case 3: no salt, no info (what the layout uses for the salt)
            bytes([0x0B] * 22),
            b"",
            b"",
            42,
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
        ),
    ],
)
def test_hkdf_matches_rfc_5869(ikm: bytes, salt: bytes, info: bytes, length: int, okm: str) -> None:
    assert lookup.hkdf_sha256(ikm, info=info, length=length, salt=salt).hex() == okm


def test_sealing_is_deterministic_and_opens_only_with_its_key() -> None:
    params = lookup.LookupParams.pbkdf2(10)
    master = lookup.master_key("0123456789abcdef0123456789abcdef", params)
    record = '{"name": "张三", "n": 1}\n'.encode()
    tag, entry = lookup.seal(master, record)
    assert (tag, entry) == lookup.seal(master, record)  # byte-identical builds
    assert len(tag) == lookup.TAG_BYTES
    assert lookup.open_entry(master, entry) == record
    other_tag, other_entry = lookup.seal(master, record.replace(b"1", b"2"))
    assert other_tag == tag and other_entry[:12] != entry[:12]  # never the same nonce twice
    with pytest.raises(ValueError):
        lookup.open_entry(lookup.master_key("f" * 32, params), entry)
    tampered = entry[:-1] + bytes([entry[-1] ^ 1])
    with pytest.raises(ValueError):
        lookup.open_entry(master, tampered)


def test_the_master_key_depends_on_every_parameter() -> None:
    h = "0123456789abcdef0123456789abcdef"
    keys = {
        lookup.master_key(h, lookup.LookupParams.pbkdf2(10)),
        lookup.master_key(h, lookup.LookupParams.pbkdf2(11)),
        lookup.master_key(h, lookup.LookupParams.pbkdf2(10, salt="another")),
        lookup.master_key("1" + h[1:], lookup.LookupParams.pbkdf2(10)),
        lookup.master_key(h, lookup.LookupParams(iterations=1, memory=64)),
        lookup.master_key(h, lookup.LookupParams(iterations=2, memory=64)),
        lookup.master_key(h, lookup.LookupParams(iterations=1, memory=72)),
        lookup.master_key(h, lookup.LookupParams(iterations=1, memory=64, salt="another 16 bytes")),
    }
    assert len(keys) == 8


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (  # the production parameters
            {},
            "74b88c8bb1ef669a46d983626b37aa2f6bd434c92ff7f7abd0daf05a31fd91ee",
        ),
        (
            {"iterations": 1, "memory": 64},
            "911bb387b40ad04b8c6f37a889f3260b78381d702617d40d9542e66a5dce67a7",
        ),
    ],
)
def test_argon2id_gives_what_the_verify_pages_hash_wasm_gives(
    params: dict[str, int], expected: str
) -> None:
    """Known answers computed with hash-wasm 4.12.0 (the vendored build) under Node."""
    key = lookup.master_key("0123456789abcdef0123456789abcdef", lookup.LookupParams(**params))
    assert key.hex() == expected


def test_the_kdf_parameters_round_trip_and_bad_ones_are_refused() -> None:
    for params in (lookup.LookupParams(), lookup.LookupParams.pbkdf2(300_000)):
        assert lookup.LookupParams.from_json(params.to_json()) == params
    for bad in (
        {"name": "Argon2id", "memory": 19456, "passes": 2, "lanes": 4, "salt": "x" * 16},
        {"name": "scrypt", "salt": "s"},
        {"name": "PBKDF2", "hash": "SHA-1", "iterations": 5, "salt": "s"},
    ):
        with pytest.raises(ValueError):
            lookup.LookupParams.from_json(bad)
    with pytest.raises(ValueError):
        lookup.LookupParams(salt="not sixteen")


@pytest.mark.parametrize(
    ("count", "bits"),
    [(0, 0), (1, 0), (64, 0), (65, 1), (128, 1), (129, 2), (1_000_000, 14), (10_000_000, 18)],
)
def test_shard_bits_keep_shards_at_most_the_target_on_average(count: int, bits: int) -> None:
    assert batches.shard_bits(count) == bits
    if count:
        assert count / 2**bits <= batches.SHARD_TARGET


def test_a_tag_lies_in_the_range_of_its_shard() -> None:
    rng = random.Random(7)
    for bits in (0, 1, 4, 11, 14, 18, 32):
        for _ in range(200):
            tag = rng.randbytes(16)
            index = batches.shard_index(tag, bits)
            lo, hi = batches._tag_range(index, bits)
            assert lo <= tag and (hi is None or tag < hi)
            assert len(batches.shard_name(index, bits)) == max(1, -(-bits // 4))
    assert batches.shard_name(0x3FFF, 14) == "3fff"
    assert batches.shard_index(bytes([0xFF, 0xFC]) + bytes(14), 14) == 0x3FFF


def test_the_shard_file_is_sorted_json() -> None:
    entries = [(b"\x02" * 16, b"bb"), (b"\x01" * 16, b"aa")]
    text = batches.shard_bytes(entries).decode()
    assert text.splitlines()[1].startswith('"AQEB')  # the smaller tag first
    assert batches.shard_bytes(list(reversed(entries))) == batches.shard_bytes(entries)
