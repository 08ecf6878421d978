#!/usr/bin/env bash
# A department's whole inspection round in a running demo city (`npm start`), through the API as a user would:
# plan → preview → freeze → draw → verify with the CLI and the Python verifier → the inspector enters a result.
# Run from the project folder: `bash docs/inspection-round.sh` (B=http://host:port/api/v1 for another server).
set -euo pipefail
B=${B:-http://localhost:3000/api/v1}
J() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const o=JSON.parse(s);console.log(eval(process.argv[1]))})' "$1"; }
login() { curl -s -c "/tmp/c-$1" -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"Demo@2026qz\"}" $B/auth/login >/dev/null; }
login scjg; login inspector
P=$(curl -s -b /tmp/c-scjg -H 'content-type: application/json' -d '{"title":"2026年食品经营者双随机抽查","items":["食品安全日常监督检查"],"scope":{"divisions":["14","51","52","62"]}}' $B/inspection-plans)
ID=$(echo "$P" | J o.id); echo "plan $ID"
curl -s -b /tmp/c-scjg $B/inspection-plans/$ID/preview | J 'JSON.stringify(o.total)'
F=$(curl -s -b /tmp/c-scjg -X POST $B/inspection-plans/$ID/freeze); echo "frozen digest $(echo "$F" | J o.poolDigest)"
SEED="福彩3D 2026339期 581"
curl -s -b /tmp/c-scjg -H 'content-type: application/json' -d "{\"seed\":\"$SEED\"}" $B/inspection-plans/$ID/draw | J '`drawn ${o.drawn}, must ${o.mustInspect}, unassigned ${o.unassigned}`'
curl -s $B/public/inspection-plans/$ID/pool.csv -o /tmp/pool.csv
PUB=$(curl -s $B/public/inspection-plans/$ID)
RATIOS=$(echo "$PUB" | J o.ratios)
echo "$PUB" | J 'o.poolDigest+"\n"+o.drawn.filter(d=>d.kind==="random").map(d=>d.code).join("\n")' > /tmp/published.txt
npx credit draw verify --pool /tmp/pool.csv --seed "$SEED" --ratios "$RATIOS" > /tmp/verified.txt
python3 docs/verify_draw.py --pool /tmp/pool.csv --seed "$SEED" --ratios "$RATIOS" > /tmp/verified-py.txt
cmp /tmp/published.txt /tmp/verified.txt && cmp /tmp/verified.txt /tmp/verified-py.txt && echo "verify: CLI and Python reproduce the published draw ($(wc -l < /tmp/verified.txt) lines)"
T=$(curl -s -b /tmp/c-inspector "$B/inspection-tasks?status=assigned&planId=$ID" | J 'o.items[0].id+" "+o.items[0].subjectCode')
TID=${T%% *}; CODE=${T##* }
BEFORE=$(curl -s -b /tmp/c-scjg $B/subjects/$CODE/evaluation | J 'o.models.filter(m=>m.modelId==="public").map(m=>m.score+" "+m.grade).join()')
TODAY=$(TZ=Asia/Shanghai date +%F)
curl -s -b /tmp/c-inspector -H 'content-type: application/json' -d "{\"outcome\":\"fail\",\"inspectedOn\":\"$TODAY\",\"problems\":\"经营超过保质期的食品\"}" $B/inspection-tasks/$TID/result | J '`record ${o.docNo}: `+o.grades.map(g=>g.model_id+" "+g.score+" "+g.grade).join(", ")'
echo "public before: $BEFORE"
curl -s -b /tmp/c-scjg $B/inspection-plans/$ID/stats | J 'JSON.stringify(o.strata.filter(s=>s.done>0))'
