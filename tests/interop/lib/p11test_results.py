#!/usr/bin/python3
"""Read OpenSC p11test's standard output and judge it.

    p11test_results.py <p11test stdout> <skip list: "<id>\\t<reason>" lines>

Prints one verdict per line for tests/interop/p11test.sh to count:

    pass<TAB><what>
    fail<TAB><what><TAB><evidence>
    skip<TAB><what><TAB><reason>

Two kinds of verdict:

1. p11test's own tests (cmocka): each must pass. A test p11test skips is a
   skip only if the skip list names it ("p11test:<test>"); any other skip is
   a failure, and so is a test that never ran because p11test stopped.

2. p11test's result tables. Several of its tests try every mechanism the
   token lists with every key and pass whatever happens, printing a table of
   what worked. Every row of those tables must show the operation working,
   unless the row involves something in the skip list: the mechanism, its
   hash, or (RSA-PSS and OAEP) a parameter combination listed there. Skipped
   rows are reported once per test and skip-list entry, with their number.
"""
import re
import sys
from collections import OrderedDict

CKF_ENCRYPT = 0x100
CKF_DECRYPT = 0x200
CKF_SIGN = 0x800
CKF_DERIVE = 0x80000

# Hash names as p11test prints them -> the digest mechanism's id.
HASH_IDS = {
    "SHA_1": "CKM_SHA_1", "SHA224": "CKM_SHA224", "SHA256": "CKM_SHA256",
    "SHA384": "CKM_SHA384", "SHA512": "CKM_SHA512", "SHA3_224": "CKM_SHA3_224",
    "SHA3_256": "CKM_SHA3_256", "SHA3_384": "CKM_SHA3_384", "SHA3_512": "CKM_SHA3_512",
}
# Digest sizes in bytes (PSS rows: whether hash and salt fit the key).
HASH_BYTES = {"SHA_1": 20, "SHA224": 28, "SHA256": 32, "SHA384": 48, "SHA512": 64,
              "SHA3_224": 28, "SHA3_256": 32, "SHA3_384": 48, "SHA3_512": 64}
# The PSS mechanism that hashes with a given hash (for raw RSA_PKCS_PSS rows).
PSS_WITH_HASH = {
    "SHA_1": "CKM_SHA1_RSA_PKCS_PSS", "SHA224": "CKM_SHA224_RSA_PKCS_PSS",
    "SHA256": "CKM_SHA256_RSA_PKCS_PSS", "SHA384": "CKM_SHA384_RSA_PKCS_PSS",
    "SHA512": "CKM_SHA512_RSA_PKCS_PSS",
}
PSS_MECHS = {"RSA_PKCS_PSS"} | {m[4:] for m in PSS_WITH_HASH.values()} | {
    "SHA3_224_RSA_PKCS_PSS", "SHA3_256_RSA_PKCS_PSS", "SHA3_384_RSA_PKCS_PSS",
    "SHA3_512_RSA_PKCS_PSS"}

# Tables whose rows are checked: test -> the columns after the mechanism
# name and the flag each column needs to be required.
#   readonly_tests  [mech] [sign&verify] [encrypt&decrypt]
#   multipart_tests [mech] [sign&verify]
#   secret_tests    [mech] [sign&verify] [encrypt&decrypt]
#   derive_tests    [mech] [derive]
SIMPLE_TABLES = {
    "readonly_tests": (("sign & verify", CKF_SIGN), ("encrypt & decrypt", CKF_DECRYPT)),
    "multipart_tests": (("multi-part sign & verify", CKF_SIGN),),
    "secret_tests": (("sign & verify", CKF_SIGN), ("encrypt & decrypt", CKF_ENCRYPT | CKF_DECRYPT)),
    "derive_tests": (("derive", CKF_DERIVE),),
}

out = []


def verdict(kind, what, extra=""):
    extra = extra.replace("\t", " ").replace("\n", " | ")
    out.append(f"{kind}\t{what}\t{extra}" if extra else f"{kind}\t{what}")


def cells(line):
    """The bracketed cells of a table line, with "[./]" read as "Y"."""
    line = line.replace("[./]", "Y")
    return [c.strip() for c in re.findall(r"\[([^\[\]]*)\]", line)]


def mech_id(name):
    return name if name.startswith("0x") else "CKM_" + name


def main():
    stdout_path, skiplist_path = sys.argv[1], sys.argv[2]
    skiplist = OrderedDict()
    with open(skiplist_path) as f:
        for line in f:
            ident, _, reason = line.rstrip("\n").partition("\t")
            skiplist[ident] = reason
    with open(stdout_path, errors="replace") as f:
        lines = f.read().splitlines()

    # --- 1. cmocka results, and the lines of each test ------------------------
    expected = None
    sections = OrderedDict()   # test -> its output lines
    results = OrderedDict()    # test -> OK / FAILED / SKIPPED
    current = None
    for line in lines:
        m = re.match(r"^\[==========\] Running (\d+) test\(s\)\.", line)
        if m:
            expected = int(m.group(1))
            continue
        if re.match(r"^\[==========\] \d+ test\(s\) run\.", line):
            break
        m = re.match(r"^\[ RUN      \] (\S+)$", line)
        if m:
            current = m.group(1)
            sections[current] = []
            continue
        m = re.match(r"^\[\s*(OK|FAILED|SKIPPED)\s*\] (\S+)$", line)
        if m and m.group(2) == current:
            results[current] = m.group(1)
            current = None
            continue
        if current:
            sections[current].append(line)

    if expected is None:
        verdict("fail", "p11test ran its tests", "no \"Running N test(s)\" line: p11test did not start")
        expected = 0
    for test in sections:
        result = results.get(test)
        what = f"p11test {test}"
        if result == "OK":
            verdict("pass", what)
        elif result == "SKIPPED":
            reason = skiplist.get(f"p11test:{test}")
            if reason is not None:
                verdict("skip", what, reason)
            else:
                verdict("fail", what + " (p11test skipped it; nvtoken must run it: not in the skip list)")
        elif result == "FAILED":
            verdict("fail", what, "p11test reports FAILED; its messages are on its standard error")
        else:
            verdict("fail", what, "p11test stopped inside this test (crash, abort or exit)")
    missing = expected - len(sections)
    if missing > 0:
        verdict("fail", f"p11test: {missing} of its {expected} tests never ran (p11test stopped early)")

    # --- 2. result tables -------------------------------------------------------
    flags = {}
    for line in sections.get("supported_mechanisms_test", []):
        c = cells(line)
        if len(c) >= 4 and re.fullmatch(r"0x[0-9A-Fa-f]+", c[3]) and c[0] not in ("MECHANISM", "CKM_*"):
            flags[c[0]] = int(c[3], 16)

    skipped = OrderedDict()  # (test, id) -> rows

    def row(test, key, what, works, ids):
        listed = [i for i in ids if i in skiplist]
        if listed:
            skipped[(test, listed[0])] = skipped.get((test, listed[0]), 0) + 1
        elif works:
            verdict("pass", f"p11test {test}: key {key}: {what}")
        else:
            verdict("fail", f"p11test {test}: key {key}: {what}",
                    "p11test's table shows it did not work")

    for test, body in sections.items():
        key = "?"
        key_bits = 0
        for line in body:
            m = re.match(r"^\[([0-9A-Fa-f]+)\s*\] .*\[([^\[\]]*)\]$", line)
            if m:  # a key: "[02    ] [RSA2048]" or multipart's one-line form
                key = f"{m.group(1)} ({m.group(2)})"
                key_bits = 0
                continue
            m = re.match(r"^\[ RSA\s*\] \[\s*(\d+)\]", line)
            if m:  # the key's type and size: "[ RSA  ] [  1024] ..."
                key_bits = int(m.group(1))
                continue
            if not line.startswith("  "):
                continue
            c = cells(line)
            if test in SIMPLE_TABLES:
                columns = SIMPLE_TABLES[test]
                if len(c) != 1 + len(columns):
                    continue
                mech = c[0]
                mflags = flags.get(mech, 0)
                for (label, need), value in zip(columns, c[1:]):
                    if mflags & need:
                        row(test, key, f"{mech} {label}", value == "Y", [mech_id(mech)])
            elif test == "pss_oaep_test" and len(c) == 6 and re.fullmatch(r"-?\d+", c[3]):
                mech, hash_, mgf, salt, sign, dec = c
                ids = [mech_id(mech), HASH_IDS.get(hash_, "CKM_" + hash_)]
                mgf_hash = mgf[len("MGF1_"):] if mgf.startswith("MGF1_") else mgf
                if mgf_hash != hash_:
                    ids.append(HASH_IDS.get(mgf_hash, "CKM_" + mgf_hash))
                    ids.append("RSA:MGF1-hash-differs")
                if mech in PSS_MECHS:
                    if mech == "RSA_PKCS_PSS" and hash_ in PSS_WITH_HASH:
                        ids.append(PSS_WITH_HASH[hash_])
                    if salt != "-1":
                        ids.append("PSS:salt-not-hash-length")
                    # RFC 8017 9.1.1: the encoded message (bits - 1 bits) holds
                    # the hash, the salt and 2 bytes, or nothing can sign.
                    h_len = HASH_BYTES.get(hash_, 0)
                    s_len = h_len if salt == "-1" else max(int(salt), 0)
                    if key_bits and (key_bits + 6) // 8 < h_len + s_len + 2:
                        ids.append("PSS:key-too-small")
                    row(test, key, f"{mech} hash {hash_} {mgf} salt {salt} sign & verify",
                        sign == "Y", ids)
                elif mech == "RSA_PKCS_OAEP":
                    ids.append(f"OAEP:{hash_}")
                    row(test, key, f"{mech} hash {hash_} {mgf} encrypt & decrypt", dec == "Y", ids)

    for (test, ident), n in skipped.items():
        verdict("skip", f"p11test {test}: {n} table row(s) involving {ident}", skiplist[ident])

    print("\n".join(out))


if __name__ == "__main__":
    main()
