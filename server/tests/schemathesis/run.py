"""Schemathesis against a running Carrel server: signed out, then signed in as a site admin who
owns a workspace and a group. Any 5xx, undocumented status, wrong content type or response that
does not match its schema fails the run.

Usage: run.py BASE_URL SETUP_TOKEN MAX_EXAMPLES
"""

import json
import subprocess
import sys
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

BASE, SETUP_TOKEN, MAX_EXAMPLES = sys.argv[1], sys.argv[2], sys.argv[3]
API = f"{BASE}/api/v1"
PASSWORD = "a long enough password"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
# Operations that end the probing session; run signed out only.
SESSION_ENDERS = ["/auth/logout", "/auth/logout-everywhere", "/me/password"]

jar = CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def call(method, path, body=None, csrf=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{API}{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if csrf:
        request.add_header("X-CSRF-Token", csrf)
    with opener.open(request) as response:
        text = response.read()
        return json.loads(text) if text else None


def signed_in_world():
    me = call("POST", "/auth/signup", {
        "email": "admin@probe.test", "display_name": "Probe Admin", "password": PASSWORD,
        "setup_token": SETUP_TOKEN,
    })
    csrf = me["csrf_token"]
    for tier in ["registered", "controlled"]:
        call("POST", "/admin/users/admin@probe.test/tiers", {"tier": tier}, csrf)
    call("POST", "/workspaces", {
        "billing_project": "admin-personal", "display_name": "Probe", "tier": "registered",
        "research_purpose": {
            "purposes": ["methods_development"],
            "scientific_questions": "Does the API keep its promises?",
            "scientific_approaches": "Generated requests.",
            "anticipated_findings": "None unexpected.",
            "focuses_on_underrepresented": False,
            "review_requested": False,
        },
    }, csrf)
    call("POST", "/groups", {"name": "probers"}, csrf)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, csrf


def schemathesis(*extra):
    exe = Path(sys.executable).parent / "schemathesis"
    command = [
        str(exe), "run", f"{API}/openapi.json", "--url", API,
        "--max-examples", MAX_EXAMPLES, "--checks", CHECKS, "--workers", "2",
        "--no-color", "--seed", "7", *extra,
    ]
    print("$", " ".join(c if "Cookie" not in c else "-H Cookie: …" for c in command), flush=True)
    return subprocess.run(command).returncode


def main():
    failed = schemathesis()
    cookie, csrf = signed_in_world()
    exclude = [arg for path in SESSION_ENDERS for arg in ("--exclude-path", path)]
    failed |= schemathesis("-H", f"Cookie: {cookie}", "-H", f"X-CSRF-Token: {csrf}", *exclude)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
