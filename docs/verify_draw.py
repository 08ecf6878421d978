#!/usr/bin/env python3
"""Reference verifier of the draw, algorithm v1 (docs/draw-algorithm.md).

Written from the specification alone, sharing no code with the platform; needs only Python 3's standard
library. Prints exactly what `credit draw verify` prints:

    python3 docs/verify_draw.py --pool FILE --seed SEED --ratios A=300,B=500,C=1000,D=3000,E=10000,NR=500 [--json]

    the pool digest on the first line, then the drawn codes one a line in ticket order;
    with --json: {"poolDigest":"...","drawn":[{"code":"...","stratum":"...","ticket":"..."}]}

    python3 docs/verify_draw.py ... --commitment sha256:HEX

    also checks that the seed is the one committed at the freeze (SHA-256 of its exact UTF-8 bytes = HEX); when
    it is, prints the same as without it (and one more line on stderr), else exits 1 and prints nothing.

    python3 docs/verify_draw.py --assign CASE.json

    recomputes an inspector assignment (section 5) from a JSON case; see the specification.

Bad input exits 1 with the line or field, the problem and the fix, in Chinese and English.
"""

import argparse
import hashlib
import json
import re
import sys

STRATA = ["A", "B", "C", "D", "E", "NR"]
CODE = re.compile(rb"[0-9A-Za-z._-]{1,64}")
MAX_PROBLEMS = 20


class Bad(Exception):
    """Input that does not follow the specification: a list of (where, zh, en) messages."""

    def __init__(self, problems):
        super().__init__("; ".join(en for _, _, en in problems))
        self.problems = problems


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def read_pool(data):
    """Section 1: the pool file, strictly. Returns [(code, stratum)] in file order."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise Bad([("line 1", "文件以 BOM 开头，池文件是不带 BOM 的 UTF-8", "the file starts with a BOM; a pool file is UTF-8 without BOM")])
    problems = []
    entries = []
    if not data:
        return entries
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    else:
        problems.append((f"line {len(lines)}", "最后一行没有以换行符结尾", "the last line does not end with a newline"))
    previous = None
    previous_line = 0
    for number, line in enumerate(lines, start=1):
        if len(problems) >= MAX_PROBLEMS:
            break
        where = f"line {number}"
        if line.endswith(b"\r"):
            problems.append((where, "行以 CR LF 结尾，池文件使用 LF 换行", "the line ends with CR LF; a pool file uses LF"))
            line = line[:-1]
        if any(b >= 0x80 for b in line):
            problems.append((where, "含有非 ASCII 字节", "contains a non-ASCII byte"))
            continue
        fields = line.split(b",")
        if len(fields) != 2:
            problems.append((where, "每行恰好是 代码,层级", "each line is exactly CODE,STRATUM"))
            continue
        code, stratum = fields
        if not CODE.fullmatch(code):
            problems.append((where, "主体代码为空、过长或含有不允许的字符", "the code is empty, too long or has a character not allowed"))
            continue
        if stratum.decode("ascii") not in STRATA:
            problems.append((where, "未知层级，层级只能是 A B C D E NR", "unknown stratum; a stratum is one of A B C D E NR"))
            continue
        if previous is not None and code <= previous:
            if code == previous:
                problems.append((where, f"主体已在第 {previous_line} 行出现", f"the subject already appears on line {previous_line}"))
            else:
                problems.append((where, f"未按字节顺序排序（应在第 {previous_line} 行之前）", f"out of byte order (sorts before line {previous_line})"))
        previous = code
        previous_line = number
        entries.append((code.decode("ascii"), stratum.decode("ascii")))
    if problems:
        raise Bad(problems[:MAX_PROBLEMS])
    return entries


def check_seed(seed):
    """Section 2: the seed is hashed exactly as entered, so it must be unambiguous text."""
    def bad(zh, en):
        return Bad([("--seed", zh, en)])

    if seed == "":
        raise bad("种子为空", "the seed is empty")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in seed):
        raise bad("种子不是有效的 Unicode 文本", "the seed is not valid Unicode text")
    if len(seed.encode("utf-8")) > 256:
        raise bad("种子超过 256 字节", "the seed is longer than 256 bytes")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in seed):
        raise bad("种子含有控制字符", "the seed contains a control character")
    if seed.startswith(" ") or seed.endswith(" "):
        raise bad("种子首尾有空格", "the seed starts or ends with a space")


def read_commitment(text):
    """Section 0: a sealed seed's commitment, sha256:<64 hex digits>. Returns the digest in lower case."""
    kind, colon, digest = text.partition(":")
    if kind.lower() != "sha256" or not colon or not re.fullmatch(r"[0-9A-Fa-f]{64}", digest):
        raise Bad([("--commitment", "承诺应为 sha256:<64 位十六进制摘要>", "the commitment must be sha256:<64 hex digits>")])
    return digest.lower()


def check_commitment(seed, digest):
    """Section 0: SHA-256 of the seed's UTF-8 bytes, exactly as entered, must be the committed digest."""
    got = sha256_hex(seed.encode("utf-8"))
    if got != digest:
        raise Bad([("--seed", f"种子与承诺不符：其 SHA-256 是 {got}，承诺的是 {digest}", f"the seed does not match the commitment: its SHA-256 is {got}, the commitment is {digest}")])


def read_ratios(text):
    """Section 3: STRATUM=BASIS_POINTS, comma-separated, spaces or tabs around items ignored."""
    problems = []
    ratios = {}
    text = text.strip(" \t")
    if text == "":
        raise Bad([("--ratios", "未给出抽查比例", "no ratios given")])
    for item in text.split(","):
        item = item.strip(" \t")
        key, eq, value = item.partition("=")
        key, value = key.rstrip(" \t"), value.lstrip(" \t")
        if not eq or "=" in value:
            problems.append(("--ratios", f"“{item}” 不是 层级=万分比", f'"{item}" is not STRATUM=BASIS_POINTS'))
        elif key not in STRATA:
            problems.append(("--ratios", f"未知层级 “{key}”", f'unknown stratum "{key}"'))
        elif key in ratios:
            problems.append(("--ratios", f"层级 {key} 给出了两次", f"stratum {key} is given twice"))
        elif not re.fullmatch(r"[0-9]{1,5}", value) or int(value) > 10000:
            problems.append(("--ratios", f"{key} 的比例不是 0–10000 的整数（万分比）", f"the ratio of {key} is not whole basis points 0–10000"))
        else:
            ratios[key] = int(value)
    if problems:
        raise Bad(problems)
    return ratios


def sample_size(n, ratio):
    """Section 3: ceil(n * ratio / 10000) in integers."""
    return (n * ratio + 9999) // 10000


def draw(entries, seed, ratios):
    """Section 4: per stratum the lowest tickets, all in ticket order. Returns [(ticket, code, stratum)]."""
    strata = {}
    for code, stratum in entries:
        strata.setdefault(stratum, []).append(code)
    missing = [s for s in STRATA if s in strata and s not in ratios]
    if missing:
        raise Bad([("--ratios", f"池中有 {s} 层主体，但没有给出 {s} 层的比例", f"the pool has subjects in stratum {s} but no ratio for it") for s in missing])
    prefix = seed.encode("utf-8") + b":"
    drawn = []
    summary = []
    for stratum in STRATA:
        if stratum not in ratios:
            continue
        codes = strata.get(stratum, [])
        take = sample_size(len(codes), ratios[stratum])
        summary.append((stratum, len(codes), ratios[stratum], take))
        tickets = sorted((sha256_hex(prefix + code.encode("ascii")), code.encode("ascii"), stratum) for code in codes)
        drawn.extend(tickets[:take])
    drawn.sort()
    return [(t, code.decode("ascii"), s) for t, code, s in drawn], summary


def assign(case):
    """Section 5: inspectors for each subject, in the order given."""
    seed = case["seed"]
    k = case["perSubject"]
    required = case.get("requiredQualifications") or []
    department = case.get("department")
    def h(text):
        return sha256_hex(text.encode("utf-8"))
    eligible = [
        x["id"] for x in case["inspectors"]
        if (department is None or x["department"] == department) and all(q in x["qualifications"] for q in required)
    ]
    ring = sorted(eligible, key=lambda i: (h(f"{seed}:{i}"), i.encode("utf-8")))
    m = len(ring)
    on_ring = set(ring)
    subjects = case["subjects"]
    cap = -(-len(subjects) * k // m) if m else 0
    load = {i: 0 for i in ring}
    conflicts = {}
    for c in case.get("conflicts", []):
        conflicts.setdefault(c["subjectCode"], set()).add(c["inspectorId"])
    assignments, unassigned = [], []
    for code in subjects:
        avoid = conflicts.get(code, set()) & on_ring
        if m - len(avoid) < k:
            unassigned.append(code)
            continue
        p = int(h(f"{seed}:{code}")[52:], 16) % m
        walk = [ring[(p + d) % m] for d in range(m)]
        window = [i for i in walk if i not in avoid and load[i] < cap][: 2 * k]
        chosen = sorted(window, key=lambda i: (load[i], h(f"{seed}:{code}:{i}"), i.encode("utf-8")))[:k]
        if len(chosen) < k:
            rest = [i for i in walk if i not in avoid and i not in chosen]
            rest.sort(key=lambda i: load[i])  # stable: ties stay in ring distance from p
            chosen += rest[: k - len(chosen)]
        for i in chosen:
            load[i] += 1
        assignments.append({"code": code, "inspectorIds": chosen})
    return {"assignments": assignments, "unassigned": unassigned, "load": load}


def main(argv):
    parser = argparse.ArgumentParser(description="Verify a draw (algorithm v1) from the pool file, the seed and the ratios.")
    parser.add_argument("--pool")
    parser.add_argument("--seed")
    parser.add_argument("--ratios")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--commitment", metavar="sha256:HEX")
    parser.add_argument("--assign", metavar="CASE.json")
    args = parser.parse_args(argv)
    out = sys.stdout
    try:
        if args.assign:
            with open(args.assign, encoding="utf-8") as f:
                out.write(json.dumps(assign(json.load(f)), ensure_ascii=False, separators=(",", ":")) + "\n")
            return 0
        if args.pool is None or args.seed is None or args.ratios is None:
            parser.error("--pool, --seed and --ratios are required")
        check_seed(args.seed)
        if args.commitment is not None:
            check_commitment(args.seed, read_commitment(args.commitment))
        ratios = read_ratios(args.ratios)
        try:
            with open(args.pool, "rb") as f:
                data = f.read()
        except OSError as e:
            raise Bad([("--pool", f"无法读取池文件：{e.strerror}", f"cannot read the pool file: {e.strerror}")])
        entries = read_pool(data)
        drawn, summary = draw(entries, args.seed, ratios)
        digest = sha256_hex(data)
        if args.json:
            body = {"poolDigest": digest, "drawn": [{"code": c, "stratum": s, "ticket": t} for t, c, s in drawn]}
            out.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n")
        else:
            out.write(digest + "\n" + "".join(c + "\n" for _, c, _ in drawn))
        for stratum, pool, ratio, take in summary:
            sys.stderr.write(f"{stratum}: pool {pool}, ratio {ratio} bp, drawn {take}\n")
        if args.commitment is not None:
            sys.stderr.write(f"commitment: the seed matches sha256:{read_commitment(args.commitment)}\n")
        return 0
    except Bad as e:
        for where, zh, en in e.problems:
            sys.stderr.write(f"{where}: {zh}\n  {where}: {en}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
