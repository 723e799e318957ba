"""Pairwise additive masking for the cross-site secure sum (X25519 + HKDF + ChaCha20).

Each node has a long-term X25519 key derived from its site secret (so no extra
key file). For a query with nonce ``n`` and participants ``P``, node ``i``
sends

    masked_i = v_i + Σ_{j∈P, j≠i} s(i,j) · PRG(HKDF(ECDH(i, j), salt=n))   (mod 2^64)

with ``s(i,j) = +1`` if ``i < j`` else ``-1``. Pair masks cancel in the sum, so
the coordinator learns ``Σ v_i`` and nothing else; one masked value alone is
uniformly distributed (the PRG stream is unknown without ``i``'s or ``j``'s
private key). If a node drops out after the others masked, the survivors
reveal only their masks *with the dropped node* (:func:`dropped_masks`), and
the sum of the survivors is recovered.
"""

from __future__ import annotations

import base64
from typing import Mapping, Sequence

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MODULUS = 1 << 64
_KEY_INFO = b"fednet-securesum-x25519-v1"
_MASK_INFO = b"fednet-securesum-mask-v1"


def node_private_key(site_secret: bytes) -> X25519PrivateKey:
    """The node's secure-sum key, derived from (and as secret as) the site secret."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(site_secret)
    return X25519PrivateKey.from_private_bytes(raw)


def public_b64(key: X25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def _peer(public: str) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(base64.b64decode(public, validate=True))


def pair_mask(key: X25519PrivateKey, me: str, peer: str, peer_public: str, nonce: str, length: int) -> list[int]:
    """The mask stream node ``me`` shares with ``peer`` for this query (same on both sides)."""
    shared = key.exchange(_peer(peer_public))
    low, high = sorted((me, peer))
    info = _MASK_INFO + b"|" + low.encode() + b"|" + high.encode()
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=bytes.fromhex(nonce), info=info).derive(shared)
    stream = Cipher(algorithms.ChaCha20(seed, b"\x00" * 16), mode=None).encryptor().update(b"\x00" * (8 * length))
    return [int.from_bytes(stream[i:i + 8], "little") for i in range(0, len(stream), 8)]


def _signed_masks(key: X25519PrivateKey, me: str, peers: Mapping[str, str], nonce: str, length: int) -> list[int]:
    total = [0] * length
    for peer, public in sorted(peers.items()):
        if peer == me:
            continue
        sign = 1 if me < peer else -1
        for i, m in enumerate(pair_mask(key, me, peer, public, nonce, length)):
            total[i] = (total[i] + sign * m) % MODULUS
    return total


def mask_vector(values: Sequence[int], key: X25519PrivateKey, me: str, participants: Mapping[str, str],
                nonce: str) -> list[int]:
    """``values`` plus this node's pair masks with every other participant, mod 2^64."""
    masks = _signed_masks(key, me, participants, nonce, len(values))
    return [(int(v) + m) % MODULUS for v, m in zip(values, masks)]


def dropped_masks(key: X25519PrivateKey, me: str, participants: Mapping[str, str], dropped: Sequence[str],
                  nonce: str, length: int) -> list[int]:
    """This node's signed masks with the dropped nodes only (what the coordinator must subtract)."""
    peers = {site: participants[site] for site in dropped if site in participants}
    return _signed_masks(key, me, peers, nonce, length)


def to_signed(value: int) -> int:
    """Decode a sum mod 2^64 into a signed integer (noisy counts may be negative)."""
    value %= MODULUS
    return value - MODULUS if value >= MODULUS // 2 else value
