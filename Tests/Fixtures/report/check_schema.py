#!/usr/bin/env python3
"""Validates the golden reports against their JSON Schemas with the `jsonschema` package
(Debian: python3-jsonschema): sample-report.json against Schemas/hashmark.verdict-1.schema.json,
sample-report-2.json against Schemas/hashmark.verdict-2.schema.json, sample-report-3.json against
-3, sample-report-4.json against -4, sample-report-5.json against -5, sample-report-6.json against -6, sample-report-7.json against -7, sample-report-8.json against -8, sample-report-9.json against -9 (and, to show each version only adds, the older goldens against the newer schemas once their
schema id is rewritten, and the newer ones refused by the older schemas). Not needed by the Swift tests;
run by hand after changing a schema or re-recording a golden report."""
import json, pathlib, sys
import jsonschema

here = pathlib.Path(__file__).resolve().parent
schemas = here.parents[2] / "Schemas"
failed = False
v1 = json.loads((here / "sample-report.json").read_text())
v1_as_2 = dict(v1, schema="hashmark.verdict/2")
for schema_file, report_name, report in [
    ("hashmark.verdict-1.schema.json", "sample-report.json", v1),
    ("hashmark.verdict-2.schema.json", "sample-report-2.json", json.loads((here / "sample-report-2.json").read_text())),
    ("hashmark.verdict-2.schema.json", "sample-report.json as /2", v1_as_2),
    ("hashmark.verdict-3.schema.json", "sample-report-3.json", json.loads((here / "sample-report-3.json").read_text())),
    ("hashmark.verdict-3.schema.json", "sample-report-2.json as /3",
     dict(json.loads((here / "sample-report-2.json").read_text()), schema="hashmark.verdict/3")),
    ("hashmark.verdict-4.schema.json", "sample-report-4.json", json.loads((here / "sample-report-4.json").read_text())),
    ("hashmark.verdict-4.schema.json", "sample-report-3.json as /4",
     dict(json.loads((here / "sample-report-3.json").read_text()), schema="hashmark.verdict/4")),
    ("hashmark.verdict-5.schema.json", "sample-report-5.json", json.loads((here / "sample-report-5.json").read_text())),
    ("hashmark.verdict-5.schema.json", "sample-report-4.json as /5",
     dict(json.loads((here / "sample-report-4.json").read_text()), schema="hashmark.verdict/5")),
    ("hashmark.verdict-6.schema.json", "sample-report-6.json", json.loads((here / "sample-report-6.json").read_text())),
    ("hashmark.verdict-6.schema.json", "sample-report-5.json as /6",
     dict(json.loads((here / "sample-report-5.json").read_text()), schema="hashmark.verdict/6")),
    ("hashmark.verdict-7.schema.json", "sample-report-7.json", json.loads((here / "sample-report-7.json").read_text())),
    ("hashmark.verdict-7.schema.json", "sample-report-6.json as /7",
     dict(json.loads((here / "sample-report-6.json").read_text()), schema="hashmark.verdict/7")),
    ("hashmark.verdict-8.schema.json", "sample-report-8.json", json.loads((here / "sample-report-8.json").read_text())),
    ("hashmark.verdict-8.schema.json", "sample-report-7.json as /8",
     dict(json.loads((here / "sample-report-7.json").read_text()), schema="hashmark.verdict/8")),
    ("hashmark.verdict-9.schema.json", "sample-report-9.json", json.loads((here / "sample-report-9.json").read_text())),
    ("hashmark.verdict-9.schema.json", "sample-report-8.json as /9",
     dict(json.loads((here / "sample-report-8.json").read_text()), schema="hashmark.verdict/9")),
]:
    schema = json.loads((schemas / schema_file).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for error in jsonschema.Draft202012Validator(schema).iter_errors(report):
        failed = True
        print(f"{report_name}: {'/'.join(map(str, error.path))}: {error.message}")
# Each schema must refuse what the next one added: the newer golden relabelled as the older schema.
for older, added in [(1, "/2 members"), (2, "sentence-align evidence"), (3, "document members"), (4, "audio members"),
                     (5, "descriptor evidence"), (6, "workBackground"), (7, "matchedWorkArea"), (8, "elementInliers")]:
    schema = json.loads((schemas / f"hashmark.verdict-{older}.schema.json").read_text())
    newer = json.loads((here / f"sample-report-{older + 1}.json").read_text())
    if not list(jsonschema.Draft202012Validator(schema).iter_errors(dict(newer, schema=f"hashmark.verdict/{older}"))):
        failed = True
        print(f"the /{older} schema accepts {added}")
sys.exit(1 if failed else 0)
