"""Shared by the pool builders in Scripts/eval: Debian packages fetched with `apt-get download`
(never installed), unpacked with `dpkg-deb -x`, and the licence of each file read from the
package's DEP-5 copyright file. Packages reserved for independent evaluation
(../shared/data/README.md) are listed here once.
"""
import csv
import fnmatch
import glob
import os
import re
import subprocess

RESERVED = {
    "tuxpaint-stamps-default", "plasma-workspace-wallpapers", "supertux-data", "lincity-ng-data",
    "extremetuxracer-data", "hugin-data", "kstars-data", "ukui-wallpapers", "gnome-backgrounds",
    "desktop-base", "xfdesktop4-data", "sway-backgrounds", "imagemagick-6-doc", "mypaint-data-extras",
    "dasher-data", "debian-handbook", "debian-reference-en", "gnu-standards", "jargon-text", "dict-devil",
    "sword-comm-scofield",
}


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def copyright_stanzas(root, pkg):
    """(files patterns, licence, copyright) of a DEP-5 copyright file; [] if not machine-readable."""
    path = os.path.join(root, "usr/share/doc", pkg, "copyright")
    if not os.path.exists(path):
        return []
    text = open(path, encoding="utf-8", errors="replace").read()
    stanzas = []
    for block in re.split(r"\n\s*\n", text):
        fields, key = {}, None
        for line in block.splitlines():
            m = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
            if m:
                key = m.group(1).lower()
                fields[key] = m.group(2).strip()
            elif key and line.startswith((" ", "\t")):
                fields[key] += " " + line.strip()
        if "files" in fields and "license" in fields:
            lic = fields["license"].split(" ")[0] if fields["license"] else ""
            stanzas.append((fields["files"].split(), lic, fields.get("copyright", "")))
    return stanzas


def licence_for(stanzas, origin):
    """The last matching stanza wins, as in DEP-5; patterns are relative to the source tree, so
    they are matched against the installed path's tail too."""
    found = None
    for patterns, lic, holder in stanzas:
        for p in patterns:
            if p == "*" or fnmatch.fnmatch(origin, p) or fnmatch.fnmatch(origin, "*/" + p) \
                    or fnmatch.fnmatch(os.path.basename(origin), os.path.basename(p)) and "/" not in p.strip("*"):
                found = (lic, holder)
    return found


def unpack(pkg, cache):
    """(root folder of the unpacked package, its version), downloading the .deb into `cache` once."""
    assert pkg not in RESERVED and not pkg.startswith("debian-edu-artwork"), f"{pkg} is reserved"
    os.makedirs(cache, exist_ok=True)
    debs = glob.glob(os.path.join(cache, f"{pkg}_*.deb"))
    if not debs:
        subprocess.run(["apt-get", "download", pkg], cwd=cache, check=True, capture_output=True)
        debs = glob.glob(os.path.join(cache, f"{pkg}_*.deb"))
    deb = sorted(debs)[-1]
    version = run("dpkg-deb", "-f", deb, "Version").strip()
    root = os.path.join(cache, "x", pkg)
    if not os.path.isdir(root):
        os.makedirs(os.path.dirname(root), exist_ok=True)  # dpkg-deb -x makes the last folder only
        run("dpkg-deb", "-x", deb, root)
    return root, version


def write_pool(out, rows, title, modified):
    """OUT/manifest.csv (the shared pool's columns) and OUT/ATTRIBUTION.md for `rows`; `modified`
    says how the files differ from the originals."""
    with open(os.path.join(out, "manifest.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["path"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(out, "ATTRIBUTION.md"), "w") as f:
        f.write(f"# Attribution: {title}\n\n{modified}\n\n"
                "| file | title | author / copyright holder | licence | source |\n|---|---|---|---|---|\n")
        for r in rows:
            f.write(f"| {r['path']} | {r['title']} | {r['author'].replace('|', '/')} | {r['licence']} | "
                    f"{r['source_package']} {r['version']} ({r['origin']}) |\n")
