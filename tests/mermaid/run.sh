#!/usr/bin/env bash
# Renders every Mermaid diagram `aiact graph` can print for the shipped
# questionnaires (routes only, with outcomes, with a session's path) and for
# the hostile-label fixture, then parses each with the real Mermaid parser
# (check.mjs). Run by .ci/run after `npm ci` in this folder; needs a built
# `aiact` (debug) and Node.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
aiact="${AIACT:-$root/target/debug/aiact}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
today=2026-11-26

draw() { # name, args...
    local name="$1"
    shift
    "$aiact" --today "$today" graph "$@" > "$out/$name.mmd"
}

for id in $("$aiact" questionnaires | cut -f1); do
    draw "$id" --questionnaire "$id"
    draw "$id-outcomes" --questionnaire "$id" --outcomes
done
for fixture in graph/labels valid/basic valid/format2; do
    name="${fixture//\//-}"
    draw "$name" --questionnaire "$root/tests/fixtures/$fixture.ron"
    draw "$name-outcomes" --questionnaire "$root/tests/fixtures/$fixture.ron" --outcomes
done
# Sessions' paths (classDef, class and linkStyle lines), on a fixture and on
# the shipped questionnaire, in a throwaway data folder.
"$aiact" --data-dir "$out/data" --today "$today" new --name ci \
    --questionnaire "$root/tests/fixtures/valid/basic.ron" \
    --answers "$root/tests/fixtures/cli/complete.answers.ron" < /dev/null > /dev/null
"$aiact" --data-dir "$out/data" --today "$today" graph --session ci > "$out/session.mmd"
"$aiact" --data-dir "$out/data" --today "$today" graph --session ci --outcomes > "$out/session-outcomes.mmd"
# Format 2: sections as boxes, an information screen, conclusions as ends.
draw example-format2 --questionnaire "$root/questionnaires/examples/ai-system-triage.ron"
draw example-format2-outcomes --questionnaire "$root/questionnaires/examples/ai-system-triage.ron" --outcomes
"$aiact" --data-dir "$out/data" --today "$today" new --name ci-shipped \
    --answers "$root/assets/answers/p1-open-llm.ron" < /dev/null > /dev/null
"$aiact" --data-dir "$out/data" --today "$today" graph --session ci-shipped > "$out/session-shipped.mmd"
"$aiact" --data-dir "$out/data" --today "$today" graph --session ci-shipped --outcomes > "$out/session-shipped-outcomes.mmd"

# The check must be able to fail: a malformed diagram, and one edge over
# Mermaid's limit (500 pass, 501 do not), are both refused.
mkdir "$out/bad"
printf 'flowchart TD\n    a["x"] -->\n    b[[[\n' > "$out/bad/malformed.mmd"
{
    echo "flowchart TD"
    for i in $(seq 1 501); do echo "    n$i --> n$((i + 1))"; done
} > "$out/bad/501-edges.mmd"
for bad in "$out"/bad/*.mmd; do
    if node "$here/check.mjs" "$bad" > "$out/bad.log"; then
        echo "check.mjs accepted $(basename "$bad"), which Mermaid must refuse:" >&2
        cat "$out/bad.log" >&2
        exit 1
    fi
done
echo "check.mjs refuses a malformed diagram and one with 501 edges, as it should"

node "$here/check.mjs" "$out"/*.mmd
