#!/bin/sh
# Scan a running Quartier with Debian's wapiti (apt-get install -y wapiti).
#
# Usage: tests/security/run_wapiti.sh [BASE_URL] [MAX_SECONDS] [REPORT_DIR]
#
# The portal must already run, e.g. production-like on port 8115 (DEBUG=0, TLS redirect off
# because the scan talks plain HTTP to 127.0.0.1):
#
#   export DATABASE_URL=sqlite:////tmp/security.sqlite3 DEBUG=0 SECRET_KEY=scan-only-… \
#          ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 STATIC_ROOT=/tmp/security-static \
#          MEDIA_ROOT=/tmp/security-media SITE_URL=http://127.0.0.1:8115 CACHE_URL=locmem://
#   python manage.py demo --no-serve && python manage.py collectstatic --noinput
#   gunicorn quartier.wsgi -b 127.0.0.1:8115 -w 2 &
#
# The scope is the portal's own folder on 127.0.0.1:8115 only; the scan stops after
# MAX_SECONDS (crawl) and ATTACK_SECONDS per attack module. The JSON report goes to
# REPORT_DIR.
set -eu
BASE_URL="${1:-http://127.0.0.1:8115/}"
MAX_SECONDS="${2:-300}"
ATTACK_SECONDS="${ATTACK_SECONDS:-30}"  # per attack module
FLUSH="${FLUSH---flush-session}"        # FLUSH= keeps an earlier crawl
REPORT_DIR="${3:-/tmp/quartier-wapiti}"
mkdir -p "$REPORT_DIR"
common="-u $BASE_URL --scope folder --max-scan-time $MAX_SECONDS --max-attack-time $ATTACK_SECONDS"
common="$common $FLUSH --color -v 1"
# The attack modules for this kind of site (no ssrf: it needs an outside endpoint; no
# time-based blind SQL: too slow for a bounded scan).
wapiti $common -m "xss,permanentxss,sql,exec,file,crlf,redirect,http_headers,csp,cookieflags,methods,backup,htaccess,xxe" \
    -f json -o "$REPORT_DIR/report.json"
python3 - "$REPORT_DIR/report.json" <<'PY'
import json
import sys

report = json.load(open(sys.argv[1]))
total = 0
for section in ("vulnerabilities", "anomalies", "additionals"):
    for name, items in sorted(report.get(section, {}).items()):
        if items:
            print(f"{section}: {name}: {len(items)}")
            for item in items[:5]:
                print("    ", item.get("method"), item.get("path"), "|", item.get("info", "")[:150])
            total += len(items) if section != "additionals" else 0
print(f"findings (vulnerabilities + anomalies): {total}")
PY
