#!/usr/bin/env python3
"""Validates sample-report.json against Schemas/hashmark.verdict-1.schema.json with the
`jsonschema` package (Debian: python3-jsonschema). Not needed by the Swift tests; run by hand
after changing the schema or re-recording the golden report."""
import json, pathlib, sys
import jsonschema

here = pathlib.Path(__file__).resolve().parent
schema = json.loads((here.parents[2] / "Schemas" / "hashmark.verdict-1.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads((here / "sample-report.json").read_text())))
for error in errors:
    print(f"{'/'.join(map(str, error.path))}: {error.message}")
sys.exit(1 if errors else 0)
