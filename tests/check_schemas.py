#!/usr/bin/env python3
"""check_schemas.py SRCDIR VERSION - every golden JSON output against its schema.

Each case of testdata/golden/ whose command writes JSON (-f json, or export's
default; -f pipeline against schemas/<command>-pipeline.schema.json) has its expected.out (@DC_VERSION@ replaced by VERSION) validated
against schemas/<command>.schema.json (JSON Schema draft 2020-12). Output of
several JSON values, one a line (JSON lines), is validated line by line. The
check also fails when
  - a schema is not a valid schema, or no golden case uses it;
  - a command's JSON output has no schema;
  - "depcheck_version" is not VERSION;
  - a schema accepts an output without "depcheck_version" or
    "schema_version" (so that the check is not vacuous).
Exit 77 (skipped) when python3-jsonschema is not installed.
"""
import copy
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed: skipped")
    sys.exit(77)

# the default -f of each command (the first of its cli_spec formats) when
# it is not text
DEFAULT_FORMAT = {"export": "json"}

# the formats written as JSON, and the suffix of their schema's name:
# `plan -f pipeline` is schemas/plan-pipeline.schema.json; -f jsonl (JSON
# lines: the version keys are in the first record only) is
# schemas/<command>-jsonl.schema.json, one oneOf branch per record type
JSON_FORMATS = {"json": "", "pipeline": "-pipeline", "jsonl": "-jsonl"}


def output_format(argv):
    """the -f / --format value of a golden's arguments"""
    fmt = DEFAULT_FORMAT.get(argv[0], "text") if argv else "text"
    for i, a in enumerate(argv):
        if a in ("-f", "--format") and i + 1 < len(argv):
            fmt = argv[i + 1]
        elif a.startswith("--format="):
            fmt = a.split("=", 1)[1]
        elif a.startswith("-f") and len(a) > 2:
            fmt = a[2:]
    return fmt


def values(text):
    """the JSON values of an output: one document, or one per line"""
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def main():
    src, version = sys.argv[1], sys.argv[2]
    schema_dir = os.path.join(src, "schemas")
    golden = os.path.join(src, "testdata", "golden")
    validators = {}
    for name in sorted(os.listdir(schema_dir)):
        if not name.endswith(".schema.json"):
            continue
        with open(os.path.join(schema_dir, name)) as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[name[: -len(".schema.json")]] = jsonschema.Draft202012Validator(schema)
    used = set()
    failures = 0
    checked = 0
    for case in sorted(os.listdir(golden)):
        d = os.path.join(golden, case)
        with open(os.path.join(d, "cmd")) as f:
            argv = f.read().split()
        out_path = os.path.join(d, "expected.out")
        fmt = output_format(argv)
        if fmt not in JSON_FORMATS or not os.path.exists(out_path):
            continue
        with open(out_path) as f:
            text = f.read().replace("@DC_VERSION@", version)
        if not text.strip():
            continue  # a usage error: nothing written
        cmd = argv[0] + JSON_FORMATS[fmt]
        if cmd not in validators:
            print(f"{case}: no schema for '{cmd}' (schemas/{cmd}.schema.json)")
            failures += 1
            continue
        used.add(cmd)
        try:
            docs = values(text)
        except json.JSONDecodeError as e:
            print(f"{case}: not JSON: {e}")
            failures += 1
            continue
        for nth, doc in enumerate(docs):
            checked += 1
            for err in validators[cmd].iter_errors(doc):
                where = "/".join(str(p) for p in err.absolute_path)
                print(f"{case}: /{where}: {err.message}")
                failures += 1
            if cmd == "export":
                continue  # a catalog, versioned by its "depcheck" key
            if fmt == "jsonl" and nth:
                continue  # the versions are in the first record
            if doc.get("depcheck_version") != version:
                print(f"{case}: depcheck_version {doc.get('depcheck_version')!r}, expected {version!r}")
                failures += 1
            # the schema must require the two version keys
            for key in ("depcheck_version", "schema_version"):
                bad = copy.deepcopy(doc)
                bad.pop(key, None)
                if validators[cmd].is_valid(bad):
                    print(f"{case}: schemas/{cmd}.schema.json accepts an output without {key}")
                    failures += 1
    for cmd in sorted(set(validators) - used):
        print(f"schemas/{cmd}.schema.json: no golden case writes it")
        failures += 1
    print(f"{checked} JSON outputs of {len(used)} commands validated, {failures} failures")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
