#!/usr/bin/env python3
"""Generate Loupe's built-in price catalog from a LiteLLM price file.

Usage:
  scripts/gen_catalog.py [--source ../shared/data/model_prices.json]
                         [--out src/pricing/catalog/builtin.json]
                         [--effective-from YYYY-MM-DD]

The output is Loupe's own catalog format (docs/pricing.md): one model per
line, prices in USD per million tokens written as exact decimals (the C++
loader turns them into integer nano-dollars per million tokens without
binary floating point).

Rerunnable: when --out already exists, its price history is kept. A model
whose prices changed gets a NEW price version starting at --effective-from
(default: today, UTC) instead of having its old prices rewritten, so calls
made before the change keep their cost. Models that disappeared from the
source are kept: old calls still need their prices.
"""

import argparse
import datetime
import json
import re
import sys
from decimal import Decimal

# Built-in prices apply from this date unless the history says otherwise.
BUILTIN_EPOCH = "2020-01-01"

# LiteLLM provider -> OpenTelemetry GenAI provider name (gen_ai.provider.name).
# Any "vertex_ai-*" provider maps to gcp.vertex_ai.
PROVIDERS = {
    "openai": "openai",
    "anthropic": "anthropic",
    "gemini": "gcp.gemini",
    "vertex_ai": "gcp.vertex_ai",
    "bedrock": "aws.bedrock",
    "bedrock_converse": "aws.bedrock",
    "azure": "azure.ai.openai",
    # Azure AI Foundry (serverless, non-OpenAI models): OTel's name for it.
    "azure_ai": "azure.ai.inference",
    "mistral": "mistral_ai",
    "deepseek": "deepseek",
    "xai": "x_ai",
    "groq": "groq",
    "cohere": "cohere",
    "cohere_chat": "cohere",
}
MODES = {"chat", "embedding", "completion", "responses"}

# LiteLLM price field -> Loupe rate name. Longest names first so that
# "cache_creation_input_token_cost_above_1hr" is not read as a 5m price.
RATE_FIELDS = [
    ("cache_creation_input_token_cost_above_1hr", "cache_write_1h"),
    ("cache_creation_input_token_cost", "cache_write_5m"),
    ("cache_read_input_token_cost", "cache_read"),
    ("output_cost_per_reasoning_token", "reasoning"),
    ("input_cost_per_token", "input"),
    ("output_cost_per_token", "output"),
]
SERVICE_TIERS = {"batches": "batch", "priority": "priority", "flex": "flex"}
FIELD_RE = re.compile(
    r"^(?P<base>" + "|".join(re.escape(f) for f, _ in RATE_FIELDS) + r")"
    r"(?:_above_(?P<k>\d+)k_tokens)?"
    r"(?:_(?P<svc>batches|priority|flex))?$")
RATE_ORDER = ["input", "output", "cache_read", "cache_write_5m", "cache_write_1h", "reasoning"]


def normalise_provider(litellm_provider):
    if litellm_provider in PROVIDERS:
        return PROVIDERS[litellm_provider]
    if litellm_provider.startswith("vertex_ai"):
        return "gcp.vertex_ai"
    return None


def model_id(key):
    """The LiteLLM key without LiteLLM's own routing prefix."""
    head, sep, rest = key.partition("/")
    if sep and head in PROVIDERS:
        return rest
    return key


def usd_per_million(value, where):
    """USD per token (a JSON float) -> exact Decimal USD per million tokens."""
    per_token = Decimal(repr(float(value)))
    nanos = per_token * 10**15  # nano-dollars per million tokens
    if nanos != nanos.to_integral_value():
        raise ValueError(f"{where}: {value} is finer than 1 nano-dollar per million tokens")
    return (nanos / 10**9).normalize()


def as_json_number(d):
    # Decimal -> shortest exact text; Python's float repr is the shortest
    # round-trip form, which for these values is the decimal itself.
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def price_version(entry, key):
    """Builds one price version (without effective_from) from a LiteLLM entry."""
    sets = {}  # service tier ("" = standard) -> {"rates": {}, "above": {threshold: {}}}
    for field, value in entry.items():
        m = FIELD_RE.match(field)
        if not m or not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        rate = dict(RATE_FIELDS)[m.group("base")]
        svc = SERVICE_TIERS.get(m.group("svc") or "", "")
        s = sets.setdefault(svc, {"rates": {}, "above": {}})
        target = s["rates"] if m.group("k") is None else s["above"].setdefault(
            int(m.group("k")) * 1000, {})
        target[rate] = usd_per_million(value, f"{key}.{field}")
    # DeepSeek's older spelling of the cache-read price.
    hit = entry.get("input_cost_per_token_cache_hit")
    std = sets.setdefault("", {"rates": {}, "above": {}})
    if "cache_read" not in std["rates"] and isinstance(hit, (int, float)):
        std["rates"]["cache_read"] = usd_per_million(hit, f"{key}.input_cost_per_token_cache_hit")

    def price_set(s):
        out = {r: s["rates"][r] for r in RATE_ORDER if r in s["rates"]}
        if s["above"]:
            out["above"] = [dict([("above_tokens", t)] +
                                 [(r, rates[r]) for r in RATE_ORDER if r in rates])
                            for t, rates in sorted(s["above"].items())]
        return out

    version = price_set(std)
    for svc in ("batch", "priority", "flex"):
        if svc in sets:
            version[svc] = price_set(sets[svc])
    return version


def count_prices(version):
    """How many prices a version holds (tier thresholds are not prices)."""
    if isinstance(version, dict):
        return sum(count_prices(v) for k, v in version.items() if k != "above_tokens")
    if isinstance(version, list):
        return sum(count_prices(v) for v in version)
    return 1


def build(source):
    models = {}
    skipped = 0
    for key, entry in source.items():
        if not isinstance(entry, dict) or key == "sample_spec":
            continue
        provider = normalise_provider(entry.get("litellm_provider") or "")
        if provider is None or entry.get("mode") not in MODES:
            continue
        if "input_cost_per_token" not in entry and "output_cost_per_token" not in entry:
            skipped += 1  # priced per second or per commitment, not per token
            continue
        mid = model_id(key)
        version = price_version(entry, key)
        canon = f"{provider}/{mid}"
        lower = canon.lower()
        rec = {"key": canon, "provider": provider, "model": mid, "mode": entry["mode"],
               "litellm_keys": [key], "version": version, "chosen": key}
        old = models.get(lower)
        if old is not None:
            # LiteLLM lists some models twice (with and without its prefix).
            # Keep the more detailed prices; on a tie, the prefixed key.
            # src/pricing/litellm_import.cc applies the same rule.
            keys = sorted(set(old["litellm_keys"] + [key]))
            better = (count_prices(version), "/" in key) > (count_prices(old["version"]),
                                                             "/" in old["chosen"])
            if better:
                models[lower] = rec
            models[lower]["litellm_keys"] = keys
            continue
        models[lower] = rec
    return models, skipped



def load_existing(path):
    try:
        with open(path) as f:
            doc = json.load(f, parse_float=Decimal, parse_int=Decimal)
    except FileNotFoundError:
        return {}
    return {m["key"].lower(): m for m in doc.get("models", [])}


def normalise_numbers(x):
    """Decimals -> canonical Decimals so old and new versions compare equal."""
    if isinstance(x, dict):
        return {k: normalise_numbers(v) for k, v in x.items()}
    if isinstance(x, list):
        return [normalise_numbers(v) for v in x]
    if isinstance(x, Decimal):
        return x.normalize()
    return x


def dumps(x):
    """Compact JSON with exact decimal numbers."""
    if isinstance(x, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dumps(v) for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + ",".join(dumps(v) for v in x) + "]"
    if isinstance(x, bool) or x is None:
        return json.dumps(x)
    if isinstance(x, (Decimal, int)):
        return as_json_number(Decimal(x))
    return json.dumps(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", default="../shared/data/model_prices.json")
    ap.add_argument("--out", default="src/pricing/catalog/builtin.json")
    ap.add_argument("--effective-from", default=datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
                    help="start date of prices that changed since the last run")
    args = ap.parse_args()

    with open(args.source) as f:
        source = json.load(f)
    models, skipped = build(source)
    existing = load_existing(args.out)

    out_models = []
    changed = 0
    for lower in sorted(set(models) | set(existing)):
        new = models.get(lower)
        old = existing.get(lower)
        if old is None:
            prices = [dict([("effective_from", BUILTIN_EPOCH)] + list(new["version"].items()))]
            rec = new
        else:
            prices = normalise_numbers(old["prices"])
            rec = new or old
            if new is not None:
                last = {k: v for k, v in prices[-1].items() if k != "effective_from"}
                if normalise_numbers(new["version"]) != last:
                    if prices[-1]["effective_from"] >= args.effective_from:
                        sys.exit(f"{rec['key']}: prices changed but --effective-from "
                                 f"{args.effective_from} is not after {prices[-1]['effective_from']}")
                    prices.append(dict([("effective_from", args.effective_from)] +
                                       list(new["version"].items())))
                    changed += 1
        out_models.append({"key": rec["key"], "provider": rec["provider"], "model": rec["model"],
                           "mode": rec["mode"], "litellm_keys": rec["litellm_keys"], "prices": prices})

    with open(args.out, "w") as f:
        f.write("{\n")
        f.write('"format":"loupe.price_catalog","version":1,"unit":"usd_per_million_tokens",\n')
        f.write('"source":"LiteLLM model_prices_and_context_window.json (MIT, BerriAI/litellm), '
                'generated by scripts/gen_catalog.py; do not edit by hand",\n')
        f.write('"models":[\n')
        f.write(",\n".join(dumps(m) for m in out_models))
        f.write("\n]}\n")
    print(f"{args.out}: {len(out_models)} models ({changed} with new prices, "
          f"{skipped} skipped: not priced per token)")


if __name__ == "__main__":
    main()
