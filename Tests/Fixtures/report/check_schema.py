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
# The /1 schema must refuse what /2 added.
schema1 = json.loads((schemas / "hashmark.verdict-1.schema.json").read_text())
v2_as_1 = dict(json.loads((here / "sample-report-2.json").read_text()), schema="hashmark.verdict/1")
if not list(jsonschema.Draft202012Validator(schema1).iter_errors(v2_as_1)):
    failed = True
    print("the /1 schema accepts /2 members")
# The /2 schema must refuse the sentence-align matcher that /3 added.
schema2 = json.loads((schemas / "hashmark.verdict-2.schema.json").read_text())
v3_as_2 = dict(json.loads((here / "sample-report-3.json").read_text()), schema="hashmark.verdict/2")
if not list(jsonschema.Draft202012Validator(schema2).iter_errors(v3_as_2)):
    failed = True
    print("the /2 schema accepts sentence-align evidence")
# The /3 schema must refuse the document members that /4 added.
schema3 = json.loads((schemas / "hashmark.verdict-3.schema.json").read_text())
v4_as_3 = dict(json.loads((here / "sample-report-4.json").read_text()), schema="hashmark.verdict/3")
if not list(jsonschema.Draft202012Validator(schema3).iter_errors(v4_as_3)):
    failed = True
    print("the /3 schema accepts document members")
# The /4 schema must refuse the audio members that /5 added.
schema4 = json.loads((schemas / "hashmark.verdict-4.schema.json").read_text())
v5_as_4 = dict(json.loads((here / "sample-report-5.json").read_text()), schema="hashmark.verdict/4")
if not list(jsonschema.Draft202012Validator(schema4).iter_errors(v5_as_4)):
    failed = True
    print("the /4 schema accepts audio members")
# The /5 schema must refuse the descriptor evidence that /6 added.
schema5 = json.loads((schemas / "hashmark.verdict-5.schema.json").read_text())
v6_as_5 = dict(json.loads((here / "sample-report-6.json").read_text()), schema="hashmark.verdict/5")
if not list(jsonschema.Draft202012Validator(schema5).iter_errors(v6_as_5)):
    failed = True
    print("the /5 schema accepts descriptor evidence")
# The /6 schema must refuse the workBackground members that /7 added.
schema6 = json.loads((schemas / "hashmark.verdict-6.schema.json").read_text())
v7_as_6 = dict(json.loads((here / "sample-report-7.json").read_text()), schema="hashmark.verdict/6")
if not list(jsonschema.Draft202012Validator(schema6).iter_errors(v7_as_6)):
    failed = True
    print("the /6 schema accepts workBackground")
# The /7 schema must refuse the matched-area members that /8 added.
schema7 = json.loads((schemas / "hashmark.verdict-7.schema.json").read_text())
v8_as_7 = dict(json.loads((here / "sample-report-8.json").read_text()), schema="hashmark.verdict/7")
if not list(jsonschema.Draft202012Validator(schema7).iter_errors(v8_as_7)):
    failed = True
    print("the /7 schema accepts matchedWorkArea")
# The /8 schema must refuse the ignore-element members that /9 added.
schema8 = json.loads((schemas / "hashmark.verdict-8.schema.json").read_text())
v9_as_8 = dict(json.loads((here / "sample-report-9.json").read_text()), schema="hashmark.verdict/8")
if not list(jsonschema.Draft202012Validator(schema8).iter_errors(v9_as_8)):
    failed = True
    print("the /8 schema accepts elementInliers")
sys.exit(1 if failed else 0)
