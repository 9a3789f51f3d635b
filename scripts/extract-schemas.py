#!/usr/bin/env python3
"""Regenerate schemas/<profile>/*.json from the CRD YAML in tests/data/crds.

The core embeds these files (include_str!) so it never reads ../shared or the CRDs at run time.
Descriptions are stripped, and so are the two schema keywords the core's validator never reads
(`format`, `x-kubernetes-validations`: the CEL rules are code in src/layers/admission/cel.rs);
everything the validator enforces is kept. The test
`embedded_schemas_match_crds` re-derives them with the core's own YAML reader and compares.
"""
import json, pathlib, yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROFILES = {"v0.13": "v1alpha1", "2026-08": "v1beta1"}

# Schema keywords the core's validator never reads: `format` (the API server does not enforce
# it for these fields) and `x-kubernetes-validations` (the CEL rules are code, in
# src/layers/admission/cel.rs). Dropped from schema nodes only, never from values such as
# defaults; they were 7.6 KB of every WebAssembly build.
UNREAD = {"format", "x-kubernetes-validations"}

def strip(node, schema=True):
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "description" or (schema and k in UNREAD):
                continue
            if schema and k == "properties":
                out[k] = {n: strip(s) for n, s in v.items() if n != "description"}
            elif schema and k in ("items", "additionalProperties"):
                out[k] = strip(v)
            else:
                out[k] = strip(v, False)
        return out
    if isinstance(node, list):
        return [strip(v, schema) for v in node]
    return node

for profile, version in PROFILES.items():
    crd = yaml.safe_load((ROOT / "tests/data/crds" / profile / "mcpexternalauthconfigs.yaml").read_text())
    versions = {v["name"]: v for v in crd["spec"]["versions"]}
    schema = strip(versions[version]["schema"]["openAPIV3Schema"])
    out = ROOT / "schemas" / profile / "mcpexternalauthconfig.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(schema, separators=(",", ":"), sort_keys=True, ensure_ascii=False) + "\n")
    print(out.relative_to(ROOT), out.stat().st_size, "bytes")
