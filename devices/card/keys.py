"""External authentication of third-generation cards, behind :class:`KeyService`.

Real desks get the cryptogram from a PSAM in the reader or from a hardware security module
behind the regional platform; the emulator and the tests use a fixed test key
(:class:`TestKeyService`). The test cryptogram is SM4-ECB under the key over the 8-byte
challenge followed by 8 zero bytes (design section 9).
"""

from __future__ import annotations

from typing import Protocol

DEFAULT_TEST_KEY = bytes.fromhex("000102030405060708090A0B0C0D0E0F")


def sm4_encrypt_block(key: bytes, block: bytes) -> bytes:
    """SM4 (GB/T 32907) encryption of one 16-byte block under a 16-byte key (ECB)."""
    from gmssl.sm4 import SM4_ENCRYPT, CryptSM4

    if len(key) != 16 or len(block) != 16:
        raise ValueError("SM4 needs a 16-byte key and a 16-byte block")
    cipher = CryptSM4(SM4_ENCRYPT)
    cipher.set_key(key, SM4_ENCRYPT)
    # gmssl pads with PKCS#7, which adds a whole block after a full one; in ECB the first
    # block of the output is the plain block encryption.
    return bytes(cipher.crypt_ecb(block)[:16])


def reference_cryptogram(key: bytes, challenge: bytes) -> bytes:
    """The test scheme's EXTERNAL AUTHENTICATE data: SM4-ECB(key, challenge || 8 x 00)."""
    if len(challenge) != 8:
        raise ValueError("challenge must be 8 bytes")
    return sm4_encrypt_block(key, challenge + bytes(8))


class KeyService(Protocol):
    """Computes the EXTERNAL AUTHENTICATE cryptogram for a card's challenge."""

    def cryptogram(self, card_id_code: str, challenge: bytes) -> bytes:
        """Return the 16-byte cryptogram for ``challenge`` from the card ``card_id_code``."""
        ...


class TestKeyService:
    """The fixed-key scheme of the emulator and the tests (never for real cards)."""

    __test__ = False  # not a pytest test class

    def __init__(self, key: bytes = DEFAULT_TEST_KEY) -> None:
        if len(key) != 16:
            raise ValueError("test key must be 16 bytes")
        self._key = key

    def cryptogram(self, card_id_code: str, challenge: bytes) -> bytes:
        """SM4-ECB(test key, challenge || 8 zero bytes)."""
        return reference_cryptogram(self._key, challenge)
