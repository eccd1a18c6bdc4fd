#!/usr/bin/env python3
"""check_signature.py LOG - verify, with OpenSSL on the host, the ECDSA P-256
signature a boot of the reference board printed ("public:", "digest:",
"signature:" lines, hex: the uncompressed point, the SHA-256 digest, r || s).
Exit status 0 if OpenSSL verifies it."""
import os
import subprocess
import sys
import tempfile

# SubjectPublicKeyInfo of an uncompressed P-256 point: id-ecPublicKey,
# prime256v1, then the 65-byte point as a BIT STRING.
SPKI_P256_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")


def der_integer(value: bytes) -> bytes:
    value = value.lstrip(b"\x00") or b"\x00"
    if value[0] & 0x80:
        value = b"\x00" + value
    return b"\x02" + bytes([len(value)]) + value


def main() -> int:
    fields = {}
    with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
        for line in log:
            name, _, value = line.strip().partition(": ")
            if name in ("public", "digest", "signature"):
                fields[name] = bytes.fromhex(value)
    if set(fields) != {"public", "digest", "signature"} or len(fields["signature"]) != 64:
        print("check_signature: the log has no public key, digest and signature")
        return 1
    sig = fields["signature"]
    seq = der_integer(sig[:32]) + der_integer(sig[32:])
    with tempfile.TemporaryDirectory() as tmp:
        paths = {name: os.path.join(tmp, name) for name in ("pub.der", "digest.bin", "sig.der")}
        for name, data in (("pub.der", SPKI_P256_PREFIX + fields["public"]),
                           ("digest.bin", fields["digest"]),
                           ("sig.der", b"\x30" + bytes([len(seq)]) + seq)):
            with open(paths[name], "wb") as out:
                out.write(data)
        result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER",
                                 "-inkey", paths["pub.der"], "-in", paths["digest.bin"],
                                 "-sigfile", paths["sig.der"]], capture_output=True, text=True)
    if result.returncode != 0:
        print("check_signature: OpenSSL does not verify the signature:", result.stdout, result.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
