"""Masking for the cross-site secure sum: pair masks (X25519 + HKDF + ChaCha20) plus a self-mask.

Each node has a long-term X25519 key derived from its site secret (so no extra
key file). For a query with nonce ``n`` and participants ``P``, node ``i``
sends

    masked_i = v_i + SELF(i, n) + Σ_{j∈P, j≠i} s(i,j) · PRG(HKDF(ECDH(i, j), salt=n))   (mod 2^64)

with ``s(i,j) = +1`` if ``i < j`` else ``-1``. Pair masks cancel in the sum;
``SELF(i, n)`` is a stream only node ``i`` can compute (keyed with its site
secret). In the unmask step each *survivor* reveals its self-mask and its pair
masks with the nodes that did not answer (:func:`reveal`), so the coordinator
learns ``Σ_{survivors} v_i`` and nothing else:

- one masked value alone is uniformly distributed;
- a node falsely declared "dropped" never reveals its self-mask (it reveals only
  as a survivor), so the pair masks the others reveal with it do not unmask it;
- a coordinator that tells different survivors different stories is caught by
  the agreement round: every survivor MACs the one view (survivors, dropped) it
  accepted for every other survivor (:func:`view_mac`, keyed with the pairwise
  ECDH secret the coordinator does not have), and reveals only with the MACs of
  all the others on the same view.

Participant keys are checked before anything is spent (:func:`shared_secrets`):
base64 of exactly 32 bytes, canonical, and not a low-order point (the exchange
would give the all-zero secret, i.e. no mask at all).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Mapping, Sequence

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MODULUS = 1 << 64
_KEY_INFO = b"fednet-securesum-x25519-v1"
_MASK_INFO = b"fednet-securesum-mask-v1"
_SELF_INFO = b"fednet-securesum-self-v1"
_VIEW_INFO = b"fednet-securesum-view-v1"
_P = 2 ** 255 - 19


class ParticipantKeyError(ValueError):
    """A participant's public key is malformed, non-canonical or a low-order point."""

    def __init__(self, site: str, message: str) -> None:
        super().__init__(f"participant {site!r}: {message}")
        self.site = site


def node_private_key(site_secret: bytes) -> X25519PrivateKey:
    """The node's secure-sum key, derived from (and as secret as) the site secret."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(site_secret)
    return X25519PrivateKey.from_private_bytes(raw)


def public_b64(key: X25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def parse_public(site: str, public: object) -> X25519PublicKey:
    """A participant's X25519 public key from base64 (strict: 32 bytes, canonical encoding)."""
    if not isinstance(public, str) or len(public) > 64:
        raise ParticipantKeyError(site, "the public key must be base64 text of 32 bytes")
    try:
        raw = base64.b64decode(public, validate=True)
    except ValueError:
        raise ParticipantKeyError(site, "the public key is not valid base64") from None
    if len(raw) != 32:
        raise ParticipantKeyError(site, f"the public key has {len(raw)} bytes, an X25519 key has 32")
    if raw[31] & 0x80 or int.from_bytes(raw, "little") >= _P:
        raise ParticipantKeyError(site, "the public key is not canonically encoded")
    return X25519PublicKey.from_public_bytes(raw)


def _peer(public: str) -> X25519PublicKey:
    return parse_public("peer", public)


def _exchange(key: X25519PrivateKey, site: str, public: str) -> bytes:
    peer = parse_public(site, public)
    try:
        return key.exchange(peer)
    except ValueError:  # OpenSSL refuses low-order points (all-zero shared secret)
        raise ParticipantKeyError(site, "the public key is a low-order point (it would cancel the mask)") from None


def shared_secrets(key: X25519PrivateKey, me: str, participants: Mapping[str, str]) -> dict[str, bytes]:
    """ECDH with every other participant; raises :class:`ParticipantKeyError` for the first bad key."""
    out = {}
    for peer, public in sorted(participants.items()):
        if peer != me:
            out[peer] = _exchange(key, peer, public)
    return out


def _stream(seed: bytes, length: int) -> list[int]:
    data = Cipher(algorithms.ChaCha20(seed, b"\x00" * 16), mode=None).encryptor().update(b"\x00" * (8 * length))
    return [int.from_bytes(data[i:i + 8], "little") for i in range(0, len(data), 8)]


def _pair_from_shared(shared: bytes, me: str, peer: str, nonce: str, length: int) -> list[int]:
    low, high = sorted((me, peer))
    info = _MASK_INFO + b"|" + low.encode() + b"|" + high.encode()
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=bytes.fromhex(nonce), info=info).derive(shared)
    return _stream(seed, length)


def pair_mask(key: X25519PrivateKey, me: str, peer: str, peer_public: str, nonce: str, length: int) -> list[int]:
    """The mask stream node ``me`` shares with ``peer`` for this query (same on both sides)."""
    return _pair_from_shared(_exchange(key, peer, peer_public), me, peer, nonce, length)


def self_mask(site_secret: bytes, nonce: str, length: int) -> list[int]:
    """This node's own mask stream for a query: only the site secret computes it."""
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=bytes.fromhex(nonce), info=_SELF_INFO).derive(site_secret)
    return _stream(seed, length)


def _signed_sum(me: str, streams: Mapping[str, list[int]], length: int) -> list[int]:
    total = [0] * length
    for peer, stream in sorted(streams.items()):
        sign = 1 if me < peer else -1
        for i, m in enumerate(stream):
            total[i] = (total[i] + sign * m) % MODULUS
    return total


def pair_masks(shared: Mapping[str, bytes], me: str, nonce: str, length: int,
               only: Sequence[str] | None = None) -> list[int]:
    """This node's signed pair masks with every peer in ``shared`` (or only those in ``only``)."""
    peers = set(shared) if only is None else set(only) & set(shared)
    return _signed_sum(me, {p: _pair_from_shared(shared[p], me, p, nonce, length) for p in peers}, length)


def add_vectors(*vectors: Sequence[int]) -> list[int]:
    return [sum(int(v) for v in column) % MODULUS for column in zip(*vectors)]


def mask_vector(values: Sequence[int], key: X25519PrivateKey, me: str, participants: Mapping[str, str],
                nonce: str, site_secret: bytes | None = None) -> list[int]:
    """``values`` plus this node's pair masks with every other participant (and its self-mask), mod 2^64."""
    n = len(values)
    masks = pair_masks(shared_secrets(key, me, participants), me, nonce, n)
    extra = self_mask(site_secret, nonce, n) if site_secret is not None else [0] * n
    return add_vectors(values, masks, extra)


def dropped_masks(key: X25519PrivateKey, me: str, participants: Mapping[str, str], dropped: Sequence[str],
                  nonce: str, length: int) -> list[int]:
    """This node's signed masks with the dropped nodes only (what the coordinator must subtract)."""
    peers = {site: participants[site] for site in dropped if site in participants and site != me}
    return pair_masks(shared_secrets(key, me, peers), me, nonce, length)


def reveal(site_secret: bytes, shared: Mapping[str, bytes], me: str, dropped: Sequence[str], nonce: str,
           length: int) -> list[int]:
    """What a survivor reveals: its self-mask plus its pair masks with the dropped nodes."""
    return add_vectors(self_mask(site_secret, nonce, length), pair_masks(shared, me, nonce, length, only=dropped))


def view_digest(query_nonce: str, survivors: Sequence[str], dropped: Sequence[str]) -> str:
    """A digest of one view of a query's outcome (who answered, who did not)."""
    text = "\x1f".join([query_nonce, ",".join(sorted(survivors)), ",".join(sorted(dropped))])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def view_mac(shared: bytes, signer: str, recipient: str, digest: str) -> str:
    """``signer``'s confirmation to ``recipient`` that it accepted the view ``digest`` (keyed by their ECDH)."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_VIEW_INFO).derive(shared)
    return hmac.new(key, f"{signer}\x1f{recipient}\x1f{digest}".encode("utf-8"), hashlib.sha256).hexdigest()


def to_signed(value: int) -> int:
    """Decode a sum mod 2^64 into a signed integer (noisy counts may be negative)."""
    value %= MODULUS
    return value - MODULUS if value >= MODULUS // 2 else value
