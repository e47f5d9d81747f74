import json, sys, time, urllib.request, statistics
from http.cookiejar import CookieJar
base, setup = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None
jar = CookieJar(); op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
csrf = None
def call(method, path, body=None):
    req = urllib.request.Request(base + "/api/v1" + path, data=None if body is None else json.dumps(body).encode(), method=method)
    req.add_header("Content-Type", "application/json")
    if csrf: req.add_header("X-CSRF-Token", csrf)
    with op.open(req) as r:
        t = r.read(); return json.loads(t) if t else None
body = {"email": "owner@x.org", "display_name": "Owner", "password": "a long enough password"}
if setup: body["setup_token"] = setup
csrf = call("POST", "/auth/signup", body)["csrf_token"]
call("POST", "/admin/users/owner@x.org/tiers", {"tier": "registered"})
call("POST", "/workspaces", {"billing_project": "owner-personal", "display_name": "Big", "tier": "registered",
  "research_purpose": {"purposes": ["methods_development"], "scientific_questions": "Does a big ACL stay fast?", "scientific_approaches": "Probe the API.",
  "anticipated_findings": "It stays fast.", "focuses_on_underrepresented": False, "review_requested": False}})
ws = "/workspaces/owner-personal/big/acl"
added = 1
while added < 1000:
    n = min(200, 1000 - added)
    v = call("GET", ws)["version"]
    call("PATCH", ws, {"version": v, "changes": [{"op": "set", "principal": {"kind": "user", "email": f"g{added+i}@x.org"}, "role": "reader"} for i in range(n)]})
    added += n
gets, patches = [], []
for i in range(20):
    t = time.perf_counter(); acl = call("GET", ws); gets.append(time.perf_counter() - t)
    role = "writer" if i % 2 == 0 else "reader"
    t = time.perf_counter(); call("PATCH", ws, {"version": acl["version"], "changes": [{"op": "set", "principal": {"kind": "user", "email": "g1@x.org"}, "role": role}]}); patches.append(time.perf_counter() - t)
print(f"entries {len(acl['entries'])}: GET median {statistics.median(gets)*1000:.1f} ms max {max(gets)*1000:.1f} ms; one-change PATCH median {statistics.median(patches)*1000:.1f} ms max {max(patches)*1000:.1f} ms")
