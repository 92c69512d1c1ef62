#!/usr/bin/env python3
"""Says what training (and the bench's VGG16 comparison) needs that this machine lacks.

Reads training/requirements.txt: the Python version, the Debian packages (checked
by importing them and comparing their versions) and ffmpeg. Prints one line per
requirement and, when something is missing, the apt-get line that installs it.
Exit status 0 when everything is there, 1 otherwise. Imports nothing it checks
at module level, so it runs on a bare python3.

    python3 training/check.py [--json]
"""
import importlib
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_version(text):
    """The leading dotted numbers of a version string ('1.13.1+dfsg' -> (1, 13, 1))."""
    m = re.match(r'\s*v?(\d+(?:\.\d+)*)', text or '')
    return tuple(int(p) for p in m.group(1).split('.')) if m else None


def read_requirements(path=os.path.join(HERE, 'requirements.txt')):
    reqs = []
    with open(path, encoding='utf-8') as fh:
        for line in fh:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            kind, name, minimum, *rest = line.split()
            reqs.append({'kind': kind, 'name': name, 'minimum': minimum, 'module': rest[0] if rest else None})
    return reqs


def found_version(req, which=shutil.which, run=subprocess.run, import_module=importlib.import_module):
    """The version present, or None when the requirement is missing."""
    if req['kind'] == 'python':
        return '.'.join(str(p) for p in sys.version_info[:3])
    if req['kind'] == 'debian':
        try:
            return getattr(import_module(req['module']), '__version__', '0')
        except Exception:  # a missing or broken module is the same answer: not usable
            return None
    if req['kind'] == 'tool':
        path = which(req['name'])
        if not path:
            return None
        out = run([path, '-version'], capture_output=True, text=True).stdout
        m = re.search(r'version n?(\d+(?:\.\d+)*)', out)
        return m.group(1) if m else '0'
    raise ValueError(f"unknown requirement kind {req['kind']}")


def check(reqs, **probes):
    results = []
    for req in reqs:
        version = found_version(req, **probes)
        ok = version is not None and parse_version(version) >= parse_version(req['minimum'])
        results.append({**req, 'found': version, 'ok': ok})
    return results


def report(results):
    lines = []
    for r in results:
        state = 'ok' if r['ok'] else ('missing' if r['found'] is None else f"too old ({r['found']})")
        lines.append(f"  {r['name']:<20} >= {r['minimum']:<6} {state if not r['ok'] else 'ok (' + str(r['found']) + ')'}")
    missing = [r for r in results if not r['ok']]
    apt = [r['name'] for r in missing if r['kind'] in ('debian', 'tool')]
    if not missing:
        lines.append('Training can run: npm run train.')
    else:
        if apt:
            lines.append(f"Missing: apt-get install {' '.join(apt)}")
        if any(r['kind'] == 'python' for r in missing):
            lines.append('Python is older than training needs: use Debian 12 (bookworm) or newer, whose python3 is 3.11.')
    return lines


def main(argv):
    results = check(read_requirements())
    if '--json' in argv:
        print(json.dumps(results))
    else:
        print('What training needs (training/requirements.txt):')
        print('\n'.join(report(results)))
    return 0 if all(r['ok'] for r in results) else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
