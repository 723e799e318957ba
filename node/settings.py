"""Typed node configuration: one TOML file plus environment overrides.

The packaged defaults live in ``node/config/default.toml``; an operator's file
only needs the keys it changes. Environment variables of the form
``FEDNET_<SECTION>__<KEY>`` (for example ``FEDNET_NODE__STORE_URI``) win over
both. ``MONGODB_URI``, when set, is the store URI of last resort for tests and
containers.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from node.governance.permits import COUNT_PURPOSES_DEFAULT

DEFAULT_CONFIG = Path(__file__).parent / "config" / "default.toml"
ENV_PREFIX = "FEDNET_"


class ConfigError(ValueError):
    """A configuration file or override is invalid; the message says which and how to fix it."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NodeSection(_Section):
    site_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    site_name: str
    data_dir: Path
    store_uri: str = ""
    database: str = "fednet_node"
    secret_file: Path | None = None

    @field_validator("secret_file", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return None if value == "" else value


class DeidSection(_Section):
    config: Path | None = None
    # The hospital's own place names (its names and short names, pavilions, wards, affiliated
    # facilities), by entity type (HOSPITAL, LOCATION): always redacted in its notes.
    site_terms: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("config", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return None if value == "" else value


class PatientColumns(_Section):
    mrn: str = "mrn"
    given: str = "given"
    family: str = "family"
    sex: str = "sex"
    birth_date: str = "birth_date"
    address: str = "address"
    city: str = "city"
    state: str = "state"
    zip: str = "zip"
    phone: str = "phone"
    email: str = "email"
    insurance_id: str = "insurance_id"


class NoteColumns(_Section):
    mrn: str = "mrn"
    date: str = "date"
    type: str = "type"
    text: str = "text"


class IngestSection(_Section):
    max_note_bytes: int = Field(default=1_000_000, gt=0)
    batch_size: int = Field(default=32, gt=0)
    show_progress: bool = True
    # A "running" ingest whose heartbeat is older than this, on another host, is marked interrupted
    # (on the node's own host a dead run is found at once from its lock: node/ingest/runs.py).
    stale_run_after_s: float = Field(default=900.0, gt=0)
    patient_columns: PatientColumns = PatientColumns()
    note_columns: NoteColumns = NoteColumns()


class QuerySection(_Section):
    """Cohort queries: disclosure control and who may ask (see node/query, node/disclosure, node/governance)."""

    min_cell_count: int = Field(default=10, ge=1)  # released counts below this are shown as "<10"
    max_epsilon_per_query: float = Field(default=1.0, gt=0, le=10)
    min_epsilon_per_query: float = Field(default=0.01, gt=0, le=10)  # smaller ε is refused (docs/queries.md)
    requester_epsilon_budget: float = Field(default=10.0, gt=0)  # ε one requester may spend here, all permits together
    node_epsilon_budget: float = Field(default=100.0, gt=0)  # ε all requesters together may spend here
    count_purposes: list[str] = Field(default_factory=lambda: list(COUNT_PURPOSES_DEFAULT))  # EHDS purposes for counts
    min_secure_sum_sites: int = Field(default=3, ge=2, le=1000)  # fewer participants (or survivors): refused
    max_dropouts: int = Field(default=1, ge=0, le=1000)  # most participants a secure sum may declare dropped
    participant_key_certificates: str = Field(default="auto", pattern="^(auto|required|off)$")  # node/query/keycert.py
    max_cells_per_patient: int = Field(default=2, ge=1, le=10)  # contribution bound for note-level breakdowns
    coordinator_public_key: str = ""  # base64 Ed25519 key of the network coordinator; "" = refuse all queries
    request_max_age_s: float = Field(default=300.0, gt=0)  # allowed clock difference / request age
    count_engine: str = Field(default="auto", pattern="^(auto|snapshot|store)$")  # see node/query/counter.py

    @field_validator("count_purposes", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        """An environment override gives text: ``FEDNET_QUERY__COUNT_PURPOSES=scientific_research,policy_making``."""
        return [p.strip() for p in value.split(",") if p.strip()] if isinstance(value, str) else value

    @field_validator("count_purposes")
    @classmethod
    def _known_purposes(cls, value: list[str]) -> list[str]:
        from typing import get_args

        from node.governance.permits import Purpose

        unknown = sorted(set(value) - set(get_args(Purpose)))
        if unknown:
            raise ValueError(f"unknown purposes {unknown}: use some of {', '.join(get_args(Purpose))}")
        return sorted(set(value))


class ImagesSection(_Section):
    """Image ingest and de-identification (see node/images, deid/image)."""

    ocr: bool = True  # Tesseract OCR of burned-in text (needs the tesseract-ocr system package)
    ctp_rules: bool = True  # RSNA CTP scanner-model rectangles
    us_regions: bool = True  # ultrasound: blank outside SequenceOfUltrasoundRegions
    max_ocr_frames: int = Field(default=3, ge=1)  # frames OCR'd per multi-frame object (first, middle, last)
    ocr_min_confidence: float = Field(default=20.0, ge=0, le=100)
    max_image_bytes: int = Field(default=200_000_000, gt=0)  # larger files are quarantined as oversized
    thumbnail_px: int = Field(default=128, ge=16, le=1024)


class DeploySection(_Section):
    """Network identity, the coordinator's address and the local web UI (see deploy/, node/identity, node/webui)."""

    pki_dir: Path | None = None  # "" = <data_dir>/pki (node key, CSR, certificate); else an absolute path
    superlink: str = ""  # host:port of the network's SuperLink Fleet API (TLS), e.g. "fednet.example.org:9092"
    ui_host: str = "127.0.0.1"  # the node UI listens here only (localhost by default)
    ui_port: int = Field(default=8470, ge=1, le=65535)

    @field_validator("pki_dir", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        if value in ("", None):
            return None
        if not Path(str(value)).is_absolute():
            raise ValueError("pki_dir must be an absolute path (or empty for <data_dir>/pki)")
        return value


class NetworkSection(_Section):
    """``fednode join``: the SuperNode and the node worker (docs/network.md). The SuperLink and the
    credentials are the ``[deploy]`` ones (``superlink``, ``pki_dir``: ca.crt, supernode.key)."""

    runtime_port: int = Field(default=9094, ge=1, le=65535)  # SuperNode Runtime API, on 127.0.0.1 only
    idle_poll_s: float = Field(default=0.25, gt=0, le=3)  # how often an idle SuperNode asks the SuperLink
    health_port: int = Field(default=0, ge=0, le=65535)  # >0: the SuperNode's gRPC health service on 127.0.0.1
    feature_cache: Path | None = None  # "" = <data_dir>/training/cache (trunk features of the node's images)

    @field_validator("feature_cache", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value


class NodeSettings(_Section):
    """Everything a node needs to run, validated."""

    node: NodeSection
    deid: DeidSection = DeidSection()
    ingest: IngestSection = IngestSection()
    query: QuerySection = QuerySection()
    images: ImagesSection = ImagesSection()
    deploy: DeploySection = DeploySection()
    network: NetworkSection = NetworkSection()

    @property
    def store_dir(self) -> Path:
        return self.node.data_dir / "store"

    @property
    def quarantine_dir(self) -> Path:
        return self.node.data_dir / "quarantine"

    @property
    def image_blob_dir(self) -> Path:
        return self.node.data_dir / "images"

    @property
    def pki_dir(self) -> Path:
        return self.deploy.pki_dir or (self.node.data_dir / "pki")

    @property
    def log_dir(self) -> Path:
        return self.node.data_dir / "logs"

    @property
    def secret_path(self) -> Path:
        return self.node.secret_file or (self.node.data_dir / "secrets" / "site.key")

    @property
    def feature_cache_dir(self) -> Path:
        return self.network.feature_cache or (self.node.data_dir / "training" / "cache")

    @property
    def effective_store_uri(self) -> str:
        """The store URI in force: the configured one (or ``MONGODB_URI``), else embedded."""
        return self.node.store_uri or f"embedded://{self.store_dir}"


def _deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _resolve_paths(raw: dict[str, Any], base_dir: Path) -> dict[str, Any]:
    """Make the path-valued keys of one file absolute, relative to that file's folder."""
    node = raw.get("node", {})
    for key in ("data_dir", "secret_file"):
        if node.get(key):
            node[key] = str((base_dir / node[key]).resolve())
    network = raw.get("network", {})
    if network.get("feature_cache"):
        network["feature_cache"] = str((base_dir / network["feature_cache"]).resolve())
    deid = raw.get("deid", {})
    if deid.get("config"):
        deid["config"] = str((base_dir / deid["config"]).resolve())
    return raw


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist: pass an existing --config file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None


def env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """Turn ``FEDNET_SECTION__KEY[__SUBKEY]=value`` variables into a nested dict."""
    out: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        path = [part.lower() for part in name[len(ENV_PREFIX):].split("__")]
        cursor = out
        for part in path[:-1]:
            cursor = cursor.setdefault(part, {})
        cursor[path[-1]] = value
    return out


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> NodeSettings:
    """Load the packaged defaults, then ``path`` (if any), then environment overrides.

    Raises
    ------
    ConfigError
        When a file is missing or malformed, or a value is invalid; the message
        names the key and the file.
    """
    environ = os.environ if environ is None else environ
    raw = _resolve_paths(_read_toml(DEFAULT_CONFIG), Path.cwd())
    source = str(DEFAULT_CONFIG)
    if path is not None:
        path = Path(path).resolve()
        raw = _deep_merge(raw, _resolve_paths(_read_toml(path), path.parent))
        source = str(path)
    overrides = env_overrides(environ)
    if overrides:
        raw = _deep_merge(raw, _resolve_paths(overrides, Path.cwd()))
    if not raw.get("node", {}).get("store_uri") and environ.get("MONGODB_URI"):
        raw.setdefault("node", {})["store_uri"] = environ["MONGODB_URI"]
    try:
        return NodeSettings.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid node configuration ({source} + FEDNET_* overrides): {problems}") from None
