#!/usr/bin/env python3
"""Decodes every `abuf` of the recorded Atlas DNS results with dnspython, independently of Vantage,
and writes what it finds to atlas_dns_abufs.dnspython.json next to this script.

The Rust tests in src/atlas/dns.rs compare Vantage's decoding with this file. Regenerate with
`pip install dnspython==2.9.2 && python3 tests/expected/decode_abufs.py` after adding a fixture.
Base64 keys and signatures are written unsplit (chunksize=0), as Vantage writes them; everything
else is dnspython's own presentation format.
"""

import base64
import json
import pathlib

import dns.edns
import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype

HERE = pathlib.Path(__file__).resolve().parent
ATLAS = HERE.parent / "fixtures" / "atlas"
FILES = [
    "dns_results_sagan.json",
    "dns_results_reticle.json",
    "dns_results_ripe-atlas-tools.json",
    "dns_latest_msm1071935.json",
    "dns_latest_msm1421267.json",
]


def records(section):
    out = []
    for rrset in section:
        for rdata in rrset:
            out.append({
                "name": rrset.name.to_text(omit_final_dot=False),
                "type": dns.rdatatype.to_text(rrset.rdtype),
                "ttl": rrset.ttl,
                "data": rdata.to_text(origin=None, relativize=False, chunksize=0),
            })
    return out


def describe(abuf):
    message = dns.message.from_wire(base64.b64decode(abuf), ignore_trailing=True)
    flags = {name.lower(): bool(message.flags & getattr(dns.flags, name))
             for name in ["QR", "AA", "TC", "RD", "RA", "AD", "CD"]}
    nsid = None
    ecs = None
    for option in message.options:
        if option.otype == dns.edns.NSID:
            nsid = option.nsid.decode("ascii", "replace")
        if option.otype == dns.edns.ECS:
            ecs = {"source_prefix": option.srclen, "scope_prefix": option.scopelen,
                   "address": option.address}
    return {
        "id": message.id,
        "rcode": dns.rcode.to_text(message.rcode()),
        "flags": flags,
        "questions": [{"name": q.name.to_text(omit_final_dot=False),
                       "type": dns.rdatatype.to_text(q.rdtype)} for q in message.question],
        "answers": records(message.answer),
        "authority": records(message.authority),
        "additional": records(message.additional),
        "nsid": nsid,
        "client_subnet": ecs,
    }


def main():
    out = []
    for name in FILES:
        results = json.loads((ATLAS / name).read_text())
        for index, result in enumerate(results):
            responses = []
            if isinstance(result.get("result"), dict):
                responses.append((None, result["result"]))
            for sub, entry in enumerate(result.get("resultset") or []):
                if isinstance(entry.get("result"), dict):
                    responses.append((sub, entry["result"]))
            for sub, response in responses:
                if "abuf" not in response:
                    continue
                row = {"file": name, "index": index, "resultset_index": sub}
                row.update(describe(response["abuf"]))
                out.append(row)
    target = HERE / "atlas_dns_abufs.dnspython.json"
    target.write_text(json.dumps(out, indent=1, ensure_ascii=True) + "\n")
    print(f"{len(out)} abufs written to {target.name} (dnspython {dns.version.version})")


if __name__ == "__main__":
    main()
