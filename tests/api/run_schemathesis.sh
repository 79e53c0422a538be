#!/usr/bin/env bash
# Property-based tests of the JSON API against its own OpenAPI document (schemathesis).
#
# Serves Tanya with `manage.py runserver` on 127.0.0.1:8765 over a throwaway SQLite
# database holding a category, a question with an answer and a member; signs the member
# in through allauth's headless "app" endpoints; then runs schemathesis with every check
# twice: anonymously over the public reads, and with the member's X-Session-Token over
# every endpoint. Exits non-zero on any failure: a 5xx, a response or header the schema
# doesn't describe, valid input refused, invalid input accepted, a write that works
# without credentials, a deleted resource still served, ...
#
#   tests/api/run_schemathesis.sh [more schemathesis options]
#
# SCHEMATHESIS_EXAMPLES, SCHEMATHESIS_WORKERS and SCHEMATHESIS_SEED tune the run; the
# defaults finish in under three minutes. tests/api/schemathesis.toml says which refusals
# of schema-valid input are expected, and why.
set -euo pipefail
cd "$(dirname "$0")/../.."

port=${SCHEMATHESIS_PORT:-8765}
base="http://127.0.0.1:$port"
password="schemathesis correct horse battery"
work=$(mktemp -d)
server_pid=""

cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if curl -s -o /dev/null "$base/"; then
  echo "Something already answers on $base; stop it or set SCHEMATHESIS_PORT." >&2
  exit 1
fi

export DJANGO_SETTINGS_MODULE=config.settings.base
export DEBUG=0 SECRET_KEY="schemathesis-$RANDOM$RANDOM" ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="sqlite:///$work/db.sqlite3" EMAIL_URL=locmem:// TASKS_BACKEND=immediate
# schemathesis writes far faster than any member; the limits have their own tests.
export TANYA_API_IP_WRITES=1000000 TANYA_RATE_ASK=1000000 TANYA_RATE_ANSWER=1000000
export TANYA_RATE_COMMENT=1000000 TANYA_RATE_VOTE=1000000 TANYA_RATE_EDIT=1000000

echo "== Preparing a throwaway database in $work"
.venv/bin/python manage.py migrate --no-input -v 0
SCHEMATHESIS_PASSWORD="$password" .venv/bin/python manage.py shell -v 0 -c '
import os
from accounts.models import User
from forum import actions
from forum.models import CategoryPage, CommunityIndexPage

password = os.environ["SCHEMATHESIS_PASSWORD"]
category = CommunityIndexPage.objects.get().add_child(
    instance=CategoryPage(title="General", slug="general")
)
asker = User.objects.create_user("asker", "asker@example.com", password)
member = User.objects.create_user("fuzzer", "fuzzer@example.com", password)
# Enough to vote both ways and comment anywhere, not enough to edit others.
User.objects.filter(pk=member.pk).update(reputation=200)
question = actions.ask_question(
    asker,
    title="How do I reset my router?",
    body="I tried the button on the back and nothing happened.",
    category=category,
    tags="router wifi",
)
actions.post_answer(member, question, body="Hold the reset button for ten seconds.")
'

echo "== Serving on $base"
.venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 120); do
  curl -sf -o /dev/null "$base/api/v1/openapi.json" && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.5
done
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "The server did not start (is $base taken? set SCHEMATHESIS_PORT):" >&2
  tail -n 40 "$work/server.log" >&2
  exit 1
fi

login=$(curl -s -X POST "$base/_allauth/app/v1/auth/login" \
  -H "Content-Type: application/json" \
  -d "{\"username\": \"fuzzer\", \"password\": \"$password\"}" || true)
token=$(.venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["meta"]["session_token"])' \
  <<<"$login" 2>/dev/null || true)
if [ -z "$token" ]; then
  echo "Could not sign in through /_allauth/app/v1/auth/login: $login" >&2
  tail -n 40 "$work/server.log" >&2
  exit 1
fi

run() {
  .venv/bin/schemathesis --config-file tests/api/schemathesis.toml \
    run "$base/api/v1/openapi.json" \
    --checks all \
    --max-examples "${SCHEMATHESIS_EXAMPLES:-10}" \
    --seed "${SCHEMATHESIS_SEED:-4}" \
    --workers "${SCHEMATHESIS_WORKERS:-1}" \
    --request-timeout 30 \
    "$@"
}

status=0
# Anonymously only the reads: every write stops at 401 before its body is read, and the
# signed-in pass's ignored_auth check already replays each write without credentials and
# with a forged token, expecting 401.
echo "== schemathesis, anonymous (reads)"
run --include-method GET "$@" || status=1
echo "== schemathesis, signed in by X-Session-Token"
run -H "X-Session-Token: $token" "$@" || status=1

if [ "$status" -ne 0 ] && grep -q Traceback "$work/server.log"; then
  echo "== Server tracebacks"
  grep -A 40 Traceback "$work/server.log" | tail -n 120
fi
exit "$status"
