#!/usr/bin/env bash
# A department's whole inspection round in a running demo city (`npm start`), through the API as a user would:
# plan → preview → freeze with a seed commitment (the SHA-256 of a seed kept sealed) → a seed other than the
# committed one is refused → draw → verify with the CLI and the Python verifier (commitment included) → the
# inspector enters a result.
# Run from the project folder: `bash docs/inspection-round.sh` (B=http://host:port/api/v1 for another server).
set -euo pipefail
B=${B:-http://localhost:3000/api/v1}
J() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const o=JSON.parse(s);console.log(eval(process.argv[1]))})' "$1"; }
login() { curl -s -c "/tmp/c-$1" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"Demo@2026qz\"}" $B/auth/login >/dev/null; }
login scjg; login inspector
P=$(curl -s -b /tmp/c-scjg -H 'content-type: application/json' -d '{"title":"2026年食品经营者双随机抽查","items":["食品安全日常监督检查"],"scope":{"divisions":["14","51","52","62"]}}' $B/inspection-plans)
ID=$(echo "$P" | J o.id); echo "plan $ID"
curl -s -b /tmp/c-scjg $B/inspection-plans/$ID/preview | J 'JSON.stringify(o.total)'
# The seed is chosen (at random) and sealed before the freeze; only its SHA-256 is published with the pool.
SEED="sealed $(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')"
DIGEST=$(printf '%s' "$SEED" | sha256sum | cut -c1-64)
F=$(curl -s -b /tmp/c-scjg -H 'content-type: application/json' -d "{\"commitment\":{\"kind\":\"sha256\",\"digest\":\"$DIGEST\"}}" $B/inspection-plans/$ID/freeze)
echo "frozen digest $(echo "$F" | J o.poolDigest), seed commitment sha256:$(echo "$F" | J o.seedCommitment.digest)"
curl -s -b /tmp/c-scjg -H 'content-type: application/json' -d '{"seed":"another seed"}' $B/inspection-plans/$ID/draw | J '"another seed refused: "+o.problems[0].code'
curl -s -b /tmp/c-scjg -H 'content-type: application/json' -d "{\"seed\":\"$SEED\"}" $B/inspection-plans/$ID/draw | J '`drawn ${o.drawn}, must ${o.mustInspect}, unassigned ${o.unassigned}`'
curl -s $B/public/inspection-plans/$ID/pool.csv -o /tmp/pool.csv
curl -s $B/public/inspection-plans/$ID/draw.txt -o /tmp/published.txt
PUB=$(curl -s $B/public/inspection-plans/$ID)
RATIOS=$(echo "$PUB" | J o.ratios)
COMMITMENT=sha256:$(echo "$PUB" | J o.seedCommitment.digest)
npx credit draw verify --pool /tmp/pool.csv --seed "$(echo "$PUB" | J o.seed)" --ratios "$RATIOS" --commitment "$COMMITMENT" > /tmp/verified.txt
python3 docs/verify_draw.py --pool /tmp/pool.csv --seed "$(echo "$PUB" | J o.seed)" --ratios "$RATIOS" --commitment "$COMMITMENT" > /tmp/verified-py.txt
cmp /tmp/published.txt /tmp/verified.txt && cmp /tmp/verified.txt /tmp/verified-py.txt && echo "verify: CLI and Python reproduce the published draw with the committed seed ($(wc -l < /tmp/verified.txt) lines)"
T=$(curl -s -b /tmp/c-inspector "$B/inspection-tasks?status=assigned&planId=$ID" | J 'o.items[0].id+" "+o.items[0].subjectCode')
TID=${T%% *}; CODE=${T##* }
BEFORE=$(curl -s -b /tmp/c-scjg $B/subjects/$CODE/evaluation | J 'o.models.filter(m=>m.modelId==="public").map(m=>m.score+" "+m.grade).join()')
TODAY=$(TZ=Asia/Shanghai date +%F)
curl -s -b /tmp/c-inspector -H 'content-type: application/json' -d "{\"outcome\":\"fail\",\"inspectedOn\":\"$TODAY\",\"problems\":\"经营超过保质期的食品\"}" $B/inspection-tasks/$TID/result | J '`record ${o.docNo}: `+o.grades.map(g=>g.model_id+" "+g.score+" "+g.grade).join(", ")'
echo "public before: $BEFORE"
curl -s -b /tmp/c-scjg $B/inspection-plans/$ID/stats | J 'JSON.stringify(o.strata.filter(s=>s.done>0))'
