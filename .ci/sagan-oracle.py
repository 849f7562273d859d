#!/usr/bin/env python3
"""Parity oracle: every RIPE Atlas ping, traceroute and DNS result in the fixtures, read by
`vantage analyze` and by RIPE's reference parser ripe-atlas-sagan, must agree on the fields of the
command line's contract (README, "Command line"), or differ only as the ALLOWED list below says.

Usage: .ci/sagan-oracle.py [VANTAGE_BINARY] [FIXTURE.json ...]
  VANTAGE_BINARY  defaults to target/debug/vantage (built by `cargo build --bin vantage`)
  FIXTURE.json    defaults to every tests/fixtures/atlas/*.json (files without ping, traceroute
                  or DNS results are skipped)
Needs ripe-atlas-sagan 2.0.1 importable (`pip install ripe-atlas-sagan==2.0.1` in a venv and run
this script with that venv's python).

Prints a summary per type ("ping: N results, N agree"), every difference (file, result index,
probe, field, Vantage vs Sagan), and ends with "sagan oracle: N passed, M failed". A result fails
when it has a difference that is not allowed. Exit status 0 when none failed, 1 otherwise, 2 when
the oracle could not run (no binary, no Sagan, unreadable file).

What Sagan computes, read in its 2.0.1 source (ripe/atlas/sagan/...):
- ping.py `PingResult.__init__`: sent/rcvd/dup/min/max/avg are the probe's own fields (None when
  absent); avg < 0 clears min/max/avg; avg is rounded to 3 decimals. `_set_rtt_median`: the
  median over the packets' RTTs (rounded to 3 decimals), duplicates (`dup` key) excluded.
- base.py `Result.calculate_median`: the middle value, or the mean of the two middle values.
- traceroute.py `Hop.__init__`: packets with a `late` key are dropped entirely; the hop median is
  over every remaining packet with a non-zero RTT (duplicates and ICMP-error replies included).
  `TracerouteResult._parse_hops`: total_hops = len(result), every entry counted (an error-only
  `[{"error": ...}]` is one hop); last_median_rtt = median of the last hop that has one;
  `set_destination_ip_responded`: a packet of the *last* hop came from dst_addr.
- dns.py `DnsResult.build_responses`: `result` first, then every `resultset` entry; `Response`:
  response_time = round(rt, 3); `Message`: rcode = the abuf header's ReturnCode, answers = the
  abuf's answer section.
"""

import glob
import ipaddress
import json
import logging
import os
import subprocess
import sys

# Sagan logs a warning for every error or malformation it meets; the oracle reports differences only.
logging.getLogger("ripe.atlas.sagan").setLevel(logging.CRITICAL)

try:
    from ripe.atlas.sagan import Result
    from ripe.atlas.sagan.version import __version__ as SAGAN_VERSION
except ImportError as error:  # pragma: no cover - setup problem, not a parity failure
    print(f"sagan oracle: cannot import ripe-atlas-sagan ({error}); "
          "pip install ripe-atlas-sagan==2.0.1", file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TYPES = ("ping", "traceroute", "dns")

# Differences Vantage makes on purpose. Each entry: the type and field it covers, a test on the
# two values, the raw result and Vantage's result (so it cannot hide any other difference), and the
# reason. Keep this list minimal and mirrored in README.md ("Command line"): over the whole fixture
# set an entry that allows nothing fails the run, so a fixed difference leaves the list.
ALLOWED = [
    {
        "type": "ping",
        "field": "rtt_avg",
        "when": lambda ours, theirs, item, result: item.get("rcvd") == 0 and ours is None,
        "reason": "rcvd 0 with a non-negative avg (a SYNTHETIC ripe-atlas-tools sample): Vantage "
                  "trusts rcvd 0 and shows no RTT; Sagan clears min/avg/max only when avg < 0",
    },
    {
        "type": "dns",
        "field": "responses",
        "when": lambda ours, theirs, item, result: (
            "error" in item and "result" not in item and "resultset" not in item
            and (ours, theirs) == (1, 0)
            and result["responses"][0]["error"] and result["responses"][0]["rcode"] is None
            and not result["responses"][0]["answers"] and result["responses"][0]["rt_ms"] is None),
        "reason": "a query that got no reply (top-level error, e.g. timeout): Vantage lists the "
                  "resolver asked as a response with its error and no rcode, answers or rt; "
                  "Sagan lists no response and sets the error on the result",
    },
    {
        "type": "dns",
        "field": "answers",
        "when": lambda ours, theirs, item, result: [
            (name, kind[4:] if kind.startswith("TYPE") else kind, ttl, data)
            for name, kind, ttl, data in ours] == [tuple(answer) for answer in theirs],
        "reason": "a record type without a mnemonic is written TYPE65280 (RFC 3597 section 5, as "
                  "dig prints it); Sagan's abuf parser gives the bare number 65280",
    },
]


def close(a, b):
    """Floats agree within 1e-6 relative or 0.001 ms absolute (Sagan rounds RTTs to 3 decimals)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 0.001 or abs(a - b) <= 1e-6 * max(abs(a), abs(b))
    return a == b


def load_items(path):
    """The results of a fixture in the order Vantage numbers them: a JSON array, one object, the
    probe-keyed /latest/ object (flattened), or one result per line."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        data = json.loads(text)
    except ValueError:
        data = [json.loads(line) for line in text.splitlines() if line.strip()]
    if isinstance(data, dict):
        if "type" in data:
            return [data]
        items = []
        for value in data.values():
            items.extend(value if isinstance(value, list) else [value])
        return items
    return data if isinstance(data, list) else []


def sagan(item):
    # Sagan edits its input (dns.py moves `qbuf` into `result`), so it gets a copy.
    return Result.get(json.loads(json.dumps(item)),
                      on_error=Result.ACTION_IGNORE, on_malformation=Result.ACTION_IGNORE)


def identity_fields(vantage, reference):
    return [
        ("prb_id", vantage["prb_id"], reference.probe_id),
        ("msm_id", vantage["msm_id"], reference.measurement_id),
        ("timestamp", vantage["timestamp"], reference.created_timestamp),
    ]


def ping_fields(vantage, reference):
    return identity_fields(vantage, reference) + [
        ("af", vantage["af"], reference.af),
        ("dst_addr", vantage["dst_addr"], reference.destination_address),
        ("sent", vantage["sent"], reference.packets_sent),
        ("rcvd", vantage["rcvd"], reference.packets_received),
        ("dup", vantage["dup"], reference.duplicates),
        ("rtt_min", vantage["rtt_min"], reference.rtt_min),
        ("rtt_median", vantage["rtt_median"], reference.rtt_median),
        ("rtt_avg", vantage["rtt_avg"], reference.rtt_average),
        ("rtt_max", vantage["rtt_max"], reference.rtt_max),
    ]


def hop_addresses(hop):
    seen = []
    for packet in hop.packets:
        if packet.origin and packet.origin not in seen:
            seen.append(packet.origin)
    return seen


def traceroute_fields(vantage, reference):
    fields = identity_fields(vantage, reference) + [
        ("af", vantage["af"], reference.af),
        ("dst_addr", vantage["dst_addr"], reference.destination_address),
        ("hops", vantage["hops"], reference.total_hops),
        ("destination_responded", vantage["destination_responded"],
         reference.destination_ip_responded),
        ("last_rtt_median", vantage["last_rtt_median"], reference.last_median_rtt),
    ]
    # Sagan keeps an error-only entry as a hop without a number; Vantage's hop_list holds the
    # numbered hops (the entry is counted in `hops` above and reported as the result's error).
    numbered = [hop for hop in reference.hops if hop.index is not None]
    vantage_hops = vantage["hop_list"]
    fields.append(("hop_list length", len(vantage_hops), len(numbered)))
    for ours, theirs in zip(vantage_hops, numbered):
        where = f"hop {theirs.index}"
        fields.append((f"{where} ttl", ours["ttl"], theirs.index))
        fields.append((f"{where} from", ours["from"], hop_addresses(theirs)))
        fields.append((f"{where} rtt_median", ours["rtt_median"], theirs.median_rtt))
    return fields


def address_or_text(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return value


def answer_key(answer):
    """(name, type, ttl, data) of a Sagan answer; data only for the types whose Sagan form maps
    one-to-one onto the presentation format Vantage prints (the other types' data is checked
    against dnspython by tests/expected/atlas_dns_abufs.dnspython.json)."""
    kind = answer.type
    data = None
    if kind in ("A", "AAAA"):
        data = address_or_text(answer.address)
    elif kind in ("NS", "CNAME", "PTR"):
        data = answer.target
    elif kind == "MX":
        data = f"{answer.preference} {answer.mail_exchanger}"
    elif kind == "SOA":
        data = " ".join(str(v) for v in (answer.mname, answer.rname, answer.serial,
                                         answer.refresh, answer.retry, answer.expire,
                                         answer.minimum))
    return (answer.name, kind, answer.ttl, data)


def vantage_answer_key(answer):
    kind = answer["type"]
    data = answer["data"] if kind in ("NS", "CNAME", "PTR", "MX", "SOA") else None
    if kind in ("A", "AAAA"):
        data = address_or_text(answer["data"])
    return (answer["name"], kind, answer["ttl"], data)


def decoded(response):
    """Sagan's parsed abuf of a response, when it has one that decoded."""
    message = response.abuf
    return message if message is not None and message.header is not None else None


def dns_response_fields(where, ours, theirs):
    message = decoded(theirs)
    rcode = message.header.return_code if message else None
    answers = [answer_key(a) for a in message.answers] if message else []
    return [
        (f"{where}rt_ms", ours["rt_ms"], theirs.response_time),
        (f"{where}rcode", ours["rcode"], rcode),
        (f"{where}answers", [vantage_answer_key(a) for a in ours["answers"]], answers),
    ]


def question_key(response):
    """(name, type) of the question, from the abuf or else the qbuf, as Sagan decodes them."""
    for message in (decoded(response), response.qbuf):
        if message is not None and message.questions:
            return [message.questions[0].name, message.questions[0].type]
    return None


def dns_fields(vantage, reference):
    fields = identity_fields(vantage, reference)
    fields.append(("responses", len(vantage["responses"]), len(reference.responses)))
    for index, (ours, theirs) in enumerate(zip(vantage["responses"], reference.responses)):
        where = f"responses[{index}] ({theirs.destination_address}) "
        question = ours["question"]
        fields.extend([
            (f"{where}dst_addr", ours["dst_addr"], theirs.destination_address),
            (f"{where}af", ours["af"], theirs.af),
            (f"{where}proto", ours["proto"], theirs.protocol),
            (f"{where}question", question and [question["name"], question["type"]],
             question_key(theirs)),
        ])
        fields.extend(dns_response_fields(where, ours, theirs))
    # The top-level figures are the primary response's: the first that decoded, else the first.
    if reference.responses:
        primary = next((r for r in reference.responses if decoded(r)), reference.responses[0])
        fields.append(("dst_addr", vantage["dst_addr"], primary.destination_address))
        fields.extend(dns_response_fields("", vantage, primary))
    return fields


COMPARE = {"ping": ping_fields, "traceroute": traceroute_fields, "dns": dns_fields}


USED = set()


def allowed_reason(kind, field, ours, theirs, item, result):
    for number, rule in enumerate(ALLOWED):
        if (rule["type"] == kind and field.split(" ")[-1] == rule["field"]
                and rule["when"](ours, theirs, item, result)):
            USED.add(number)
            return rule["reason"]
    return None


def run_vantage(binary, path):
    completed = subprocess.run([binary, "analyze", path], capture_output=True, text=True,
                               check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"{binary} analyze {path} exited {completed.returncode}: "
                           f"{completed.stderr.strip()}")
    return json.loads(completed.stdout)


def check_file(binary, path, counts, differences):
    items = load_items(path)
    # A result has a probe and a measurement; a measurement *request* (also typed "ping") has not.
    indices = [i for i, item in enumerate(items)
               if isinstance(item, dict) and str(item.get("type", "")).lower() in TYPES
               and "prb_id" in item and "msm_id" in item]
    if not indices:
        return
    output = run_vantage(binary, path)
    malformed = {d["location"].get("index") for d in output.get("diagnostics", [])
                 if d.get("kind") == "malformed" and isinstance(d.get("location"), dict)}
    ours_in_order = iter(output.get("results", []))
    name = os.path.relpath(path, ROOT)
    for index in indices:
        item = items[index]
        kind = item["type"].lower()
        counts.setdefault(kind, [0, 0, 0])
        counts[kind][0] += 1
        if index in malformed:
            ours = None
        else:
            ours = next(ours_in_order, None)
        problems = []
        try:
            reference, refusal = sagan(item), None
        except Exception as error:  # noqa: BLE001 - Sagan refusing a result is itself a finding
            reference, refusal = None, f"refused: {error}"
        if ours is not None and str(ours.get("prb_id")) != str(item.get("prb_id")):
            raise RuntimeError(f"{name} #{index}: Vantage's results are out of step "
                               f"(probe {ours.get('prb_id')} for {item.get('prb_id')})")
        # Both refusing a result is agreement; one refusing it is a difference.
        if (ours is None) != (reference is None):
            problems.append(("parse", "malformed" if ours is None else "read",
                             refusal or "read", None))
        if ours is not None and reference is not None:
            for field, mine, theirs in COMPARE[kind](ours, reference):
                if not close_deep(mine, theirs):
                    problems.append((field, mine, theirs,
                                     allowed_reason(kind, field, mine, theirs, item, ours)))
        failed = any(reason is None for *_, reason in problems)
        if not problems:
            counts[kind][1] += 1
        elif not failed:
            counts[kind][2] += 1
        for field, mine, theirs, reason in problems:
            differences.append((name, index, item.get("prb_id"), kind, field, mine, theirs, reason))


def close_deep(a, b):
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(close_deep(x, y) for x, y in zip(a, b))
    return close(a, b)


def main(argv):
    binary = os.path.join(ROOT, "target", "debug", "vantage")
    files = []
    for arg in argv:
        if arg in ("-h", "--help"):
            print(__doc__)
            return 0
        if arg.endswith(".json"):
            files.append(arg)
        else:
            binary = arg
    every_fixture = not files
    if every_fixture:
        files = sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "atlas", "*.json")))
    if not os.access(binary, os.X_OK):
        print(f"sagan oracle: no vantage binary at {binary} (cargo build --bin vantage)",
              file=sys.stderr)
        return 2
    counts, differences = {}, []
    try:
        for path in files:
            check_file(binary, path, counts, differences)
    except (OSError, ValueError, RuntimeError) as error:
        print(f"sagan oracle: {error}", file=sys.stderr)
        return 2
    print(f"ripe-atlas-sagan {SAGAN_VERSION} vs {binary}, "
          f"{len(files)} files")
    for kind in TYPES:
        total, agree, allowed = counts.get(kind, [0, 0, 0])
        extra = f" ({allowed} more differ only as allowed)" if allowed else ""
        print(f"{kind}: {total} results, {agree} agree{extra}")
    for name, index, probe, kind, field, mine, theirs, reason in differences:
        verdict = f"allowed: {reason}" if reason else "NOT ALLOWED"
        print(f"{name} #{index} probe {probe} {kind} {field}: "
              f"vantage {json.dumps(mine)} sagan {json.dumps(theirs)} [{verdict}]")
    passed = sum(agree + allowed for _, agree, allowed in counts.values())
    failed = sum(total for total, _, _ in counts.values()) - passed
    unused = [rule for number, rule in enumerate(ALLOWED) if number not in USED]
    if every_fixture:
        for rule in unused:
            print(f"allow-list entry allows nothing any more, remove it (and its README line): "
                  f"{rule['type']} {rule['field']}: {rule['reason']}")
    print(f"sagan oracle: {passed} passed, {failed} failed")
    return 1 if failed or (every_fixture and unused) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
