#!/usr/bin/python3
"""The PyKCS11 client of the real-client suite (run by pykcs11.sh).

    pykcs11_client.py <module> <token label> <user PIN> <skip list file>

Uses Debian's python3-pykcs11 against a fresh, initialised token: logs in,
generates an EC P-256 and an RSA-2048 key pair and imports two MAC keys,
finds them by label, signs with ECDSA, RSA-PSS and every MAC mechanism the
token lists and checks each result with python3-cryptography (or the
standard library); a P-521 key pair signs with ECDSA-SHA512; when the token
lists them, the legacy mechanisms SoftHSM2-style rigs use (triple-DES keys
and CKM_DES3_CBC_PAD, RSA-1024 key pairs) work and agree with software;
checks that sensitive attributes come back as CKR_ATTRIBUTE_SENSITIVE with
the rest of the template still filled, and that signing is refused after
logout.

Prints one verdict per line for pykcs11.sh to count:
    pass<TAB><what> | fail<TAB><what><TAB><evidence> | skip<TAB><what><TAB><reason>
"""
import hashlib
import hmac
import sys

import PyKCS11.LowLevel as LowLevel
from PyKCS11 import (CKA_CLASS, CKA_COEFFICIENT, CKA_DECRYPT, CKA_EC_PARAMS, CKA_EC_POINT,
                     CKA_ENCRYPT, CKA_EXPONENT_1, CKA_EXPONENT_2, CKA_EXTRACTABLE, CKA_ID,
                     CKA_KEY_TYPE, CKA_LABEL, CKA_LOCAL, CKA_MODULUS, CKA_MODULUS_BITS,
                     CKA_NEVER_EXTRACTABLE, CKA_ALWAYS_SENSITIVE, CKA_PRIME_1, CKA_PRIME_2,
                     CKA_PRIVATE, CKA_PRIVATE_EXPONENT, CKA_PUBLIC_EXPONENT, CKA_SENSITIVE,
                     CKA_SIGN, CKA_TOKEN, CKA_VALUE, CKA_VERIFY, CKF_LOGIN_REQUIRED,
                     CKF_RW_SESSION, CKF_SERIAL_SESSION, CKF_TOKEN_INITIALIZED,
                     CKF_USER_PIN_INITIALIZED, CKG_MGF1_SHA256, CKK_AES, CKK_DES3,
                     CKK_GENERIC_SECRET, CKM, CKM_EC_KEY_PAIR_GEN, CKM_ECDSA, CKM_ECDSA_SHA512,
                     CKM_DES3_CBC_PAD, CKM_DES3_KEY_GEN, CKM_SHA256_RSA_PKCS,
                     CKM_ECDSA_SHA256, CKM_RSA_PKCS_KEY_PAIR_GEN, CKM_RSA_PKCS_PSS, CKM_SHA256,
                     CKM_SHA256_RSA_PKCS_PSS, CKO_PRIVATE_KEY, CKO_PUBLIC_KEY, CKO_SECRET_KEY,
                     CKR, CKR_ATTRIBUTE_SENSITIVE, CKR_KEY_HANDLE_INVALID,
                     CKR_USER_NOT_LOGGED_IN, Mechanism, PyKCS11Error, PyKCS11Lib,
                     RSA_PSS_Mechanism)
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import cmac, hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

try:  # python3-cryptography 43 and later keep triple-DES among the "decrepit"
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:  # pragma: no cover - older releases
    TripleDES = algorithms.TripleDES

P256_OID = bytes.fromhex("06082a8648ce3d030107")
P521_OID = bytes.fromhex("06052b81040023")
DATA = b"nvtoken interop: PyKCS11 signs this message.\n"
HMAC_KEY = bytes(range(64))  # as long as the longest HMAC output
AES_KEY = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")

# MAC mechanisms this client can check: name -> (key label, check(data) -> expected MAC)
MACS = {
    "CKM_SHA256_HMAC": ("py-hmac", lambda d: hmac.new(HMAC_KEY, d, hashlib.sha256).digest()),
    "CKM_SHA384_HMAC": ("py-hmac", lambda d: hmac.new(HMAC_KEY, d, hashlib.sha384).digest()),
    "CKM_SHA512_HMAC": ("py-hmac", lambda d: hmac.new(HMAC_KEY, d, hashlib.sha512).digest()),
    "CKM_AES_CMAC": ("py-aes", lambda d: aes_cmac(d)),
}


def aes_cmac(data):
    c = cmac.CMAC(algorithms.AES(AES_KEY))
    c.update(data)
    return c.finalize()


class Verdicts:
    def _emit(self, kind, what, extra=""):
        extra = str(extra).replace("\t", " ").replace("\n", " | ")
        print(f"{kind}\t{what}\t{extra}" if extra else f"{kind}\t{what}", flush=True)

    def passed(self, what):
        self._emit("pass", what)

    def failed(self, what, evidence=""):
        self._emit("fail", what, evidence)

    def skipped(self, what, reason):
        self._emit("skip", what, reason)

    def check(self, what, ok, evidence=""):
        (self.passed(what) if ok else self.failed(what, evidence))
        return ok


def rv_name(e):
    return CKR.get(e.value, hex(e.value)) if isinstance(e, PyKCS11Error) else repr(e)


def main():
    module, label, pin, skiplist_path = sys.argv[1:5]
    skiplist = {}
    with open(skiplist_path) as f:
        for line in f:
            ident, _, reason = line.rstrip("\n").partition("\t")
            skiplist[ident] = reason
    v = Verdicts()

    lib = PyKCS11Lib()
    lib.load(module)
    slots = [s for s in lib.getSlotList(tokenPresent=True)
             if lib.getTokenInfo(s).label.strip() == label]
    if not v.check(f"a slot holds the token labelled {label}", len(slots) == 1, f"slots: {slots}"):
        return
    slot = slots[0]
    info = lib.getTokenInfo(slot)
    need = CKF_TOKEN_INITIALIZED | CKF_USER_PIN_INITIALIZED | CKF_LOGIN_REQUIRED
    v.check("token info: initialised, user PIN set, login required", info.flags & need == need,
            f"flags 0x{info.flags:x}")
    mechanisms = set(lib.getMechanismList(slot))

    session = lib.openSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION)
    try:
        session.login(pin)
        v.passed("C_Login with the user PIN")
    except PyKCS11Error as e:
        v.failed("C_Login with the user PIN", rv_name(e))
        return

    # --- keys -------------------------------------------------------------------
    def generate(what, mech, pub, priv):
        try:
            session.generateKeyPair(pub, priv, mecha=Mechanism(mech))
            v.passed(f"C_GenerateKeyPair {what}")
        except PyKCS11Error as e:
            v.failed(f"C_GenerateKeyPair {what}", rv_name(e))

    common_priv = [(CKA_TOKEN, True), (CKA_PRIVATE, True), (CKA_SENSITIVE, True),
                   (CKA_EXTRACTABLE, False), (CKA_SIGN, True)]
    generate("EC P-256 (py-ec)", CKM_EC_KEY_PAIR_GEN,
             [(CKA_TOKEN, True), (CKA_VERIFY, True), (CKA_EC_PARAMS, P256_OID),
              (CKA_LABEL, "py-ec"), (CKA_ID, b"\x01")],
             common_priv + [(CKA_LABEL, "py-ec"), (CKA_ID, b"\x01")])
    generate("RSA-2048 (py-rsa)", CKM_RSA_PKCS_KEY_PAIR_GEN,
             [(CKA_TOKEN, True), (CKA_VERIFY, True), (CKA_ENCRYPT, True), (CKA_MODULUS_BITS, 2048),
              (CKA_PUBLIC_EXPONENT, (0x01, 0x00, 0x01)), (CKA_LABEL, "py-rsa"), (CKA_ID, b"\x02")],
             common_priv + [(CKA_DECRYPT, True), (CKA_LABEL, "py-rsa"), (CKA_ID, b"\x02")])
    for what, key_type, value, lab in (("HMAC key", CKK_GENERIC_SECRET, HMAC_KEY, "py-hmac"),
                                       ("AES-128 key", CKK_AES, AES_KEY, "py-aes")):
        try:
            session.createObject([(CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, key_type),
                                  (CKA_TOKEN, True), (CKA_PRIVATE, True), (CKA_SENSITIVE, True),
                                  (CKA_SIGN, True), (CKA_VERIFY, True), (CKA_VALUE, value),
                                  (CKA_LABEL, lab)])
            v.passed(f"C_CreateObject {what} ({lab})")
        except PyKCS11Error as e:
            v.failed(f"C_CreateObject {what} ({lab})", rv_name(e))

    def find_one(cls, lab, what):
        objs = session.findObjects([(CKA_CLASS, cls), (CKA_LABEL, lab)])
        v.check(f"C_FindObjects by label finds the {what} {lab}", len(objs) == 1,
                f"{len(objs)} objects")
        return objs[0] if len(objs) == 1 else None

    ec_priv = find_one(CKO_PRIVATE_KEY, "py-ec", "private key")
    ec_pub = find_one(CKO_PUBLIC_KEY, "py-ec", "public key")
    rsa_priv = find_one(CKO_PRIVATE_KEY, "py-rsa", "private key")
    rsa_pub = find_one(CKO_PUBLIC_KEY, "py-rsa", "public key")
    secret = {lab: find_one(CKO_SECRET_KEY, lab, "secret key") for lab in ("py-hmac", "py-aes")}
    both = session.findObjects([(CKA_LABEL, "py-ec")])
    v.check("C_FindObjects by label alone finds both halves of py-ec", len(both) == 2,
            f"{len(both)} objects")

    # Public keys from the token's attributes.
    ec_key = rsa_key = None
    if ec_pub is not None:
        try:
            params, point = session.getAttributeValue(ec_pub, [CKA_EC_PARAMS, CKA_EC_POINT])
            point = bytes(point)
            ok = bytes(params) == P256_OID and point[0] == 0x04 and point[1] == len(point) - 2
            v.check("CKA_EC_PARAMS is the P-256 OID, CKA_EC_POINT a DER OCTET STRING", ok,
                    f"params {bytes(params).hex()} point {point.hex()}")
            ec_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point[2:])
        except (PyKCS11Error, ValueError, IndexError) as e:
            v.failed("the EC public key from CKA_EC_PARAMS and CKA_EC_POINT", rv_name(e))
    if rsa_pub is not None:
        try:
            n, e_ = session.getAttributeValue(rsa_pub, [CKA_MODULUS, CKA_PUBLIC_EXPONENT])
            n, e_ = int.from_bytes(bytes(n), "big"), int.from_bytes(bytes(e_), "big")
            v.check("the RSA public key from CKA_MODULUS and CKA_PUBLIC_EXPONENT: 2048 bits, e = 65537",
                    n.bit_length() == 2048 and e_ == 65537, f"{n.bit_length()} bits, e = {e_}")
            rsa_key = rsa.RSAPublicNumbers(e_, n).public_key()
        except PyKCS11Error as e:
            v.failed("the RSA public key from CKA_MODULUS and CKA_PUBLIC_EXPONENT", rv_name(e))

    # --- signatures, verified with python3-cryptography ------------------------------
    def sign(what, key, mech, data, verify):
        if key is None:
            v.failed(what, "no key")
            return
        try:
            sig = bytes(session.sign(key, data, mech))
        except PyKCS11Error as e:
            v.failed(what, f"C_Sign: {rv_name(e)}")
            return
        try:
            verify(sig)
            v.passed(what)
        except (InvalidSignature, ValueError) as e:
            v.failed(what, f"python3-cryptography: {e!r}; signature {sig.hex()}")

    def ecdsa(prehashed):
        def verify(sig):
            if len(sig) != 64:
                raise ValueError(f"signature is {len(sig)} bytes, not r||s of 2 x 32")
            der = utils.encode_dss_signature(int.from_bytes(sig[:32], "big"),
                                             int.from_bytes(sig[32:], "big"))
            if prehashed:
                ec_key.verify(der, hashlib.sha256(DATA).digest(),
                              ec.ECDSA(utils.Prehashed(hashes.SHA256())))
            else:
                ec_key.verify(der, DATA, ec.ECDSA(hashes.SHA256()))
        return verify

    def pss(prehashed):
        def verify(sig):
            data = hashlib.sha256(DATA).digest() if prehashed else DATA
            algo = utils.Prehashed(hashes.SHA256()) if prehashed else hashes.SHA256()
            rsa_key.verify(sig, data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
                           algo)
        return verify

    sign("CKM_ECDSA_SHA256 signature verified by python3-cryptography", ec_priv,
         Mechanism(CKM_ECDSA_SHA256), DATA, ecdsa(False))
    sign("CKM_ECDSA signature of a SHA-256 hash verified by python3-cryptography", ec_priv,
         Mechanism(CKM_ECDSA), hashlib.sha256(DATA).digest(), ecdsa(True))
    sign("CKM_SHA256_RSA_PKCS_PSS signature verified by python3-cryptography", rsa_priv,
         RSA_PSS_Mechanism(CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, 32), DATA, pss(False))
    sign("CKM_RSA_PKCS_PSS signature of a SHA-256 hash verified by python3-cryptography", rsa_priv,
         RSA_PSS_Mechanism(CKM_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, 32),
         hashlib.sha256(DATA).digest(), pss(True))

    # --- P-521 ------------------------------------------------------------------------------
    def session_pair(what, mech, pub, priv):
        try:
            return session.generateKeyPair(pub, priv, mecha=Mechanism(mech))
        except PyKCS11Error as e:
            v.failed(f"C_GenerateKeyPair {what}", rv_name(e))
            return None, None

    names = {str(m) for m in mechanisms}
    if "keygen:EC:secp521r1" in skiplist:
        v.skipped("EC P-521 key pair", skiplist["keygen:EC:secp521r1"])
    else:
        pub, priv = session_pair("EC P-521 (py-p521)", CKM_EC_KEY_PAIR_GEN,
                                 [(CKA_VERIFY, True), (CKA_EC_PARAMS, P521_OID)], [(CKA_SIGN, True)])
        if pub is not None:
            point = bytes(session.getAttributeValue(pub, [CKA_EC_POINT])[0])
            ok = point[:3] == b"\x04\x81\x85" and len(point) == 136 and point[3] == 0x04
            v.check("C_GenerateKeyPair EC P-521: CKA_EC_POINT a DER OCTET STRING of 133 bytes (long form)", ok,
                    point.hex())
            key521 = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP521R1(), point[3:])

            def verify521(sig):
                if len(sig) != 132:
                    raise ValueError(f"signature is {len(sig)} bytes, not r||s of 2 x 66")
                der = utils.encode_dss_signature(int.from_bytes(sig[:66], "big"), int.from_bytes(sig[66:], "big"))
                key521.verify(der, DATA, ec.ECDSA(hashes.SHA512()))
            sign("CKM_ECDSA_SHA512 signature with a P-521 key verified by python3-cryptography", priv,
                 Mechanism(CKM_ECDSA_SHA512), DATA, verify521)

    # --- the legacy mechanisms, when the token lists them ----------------------------------
    if "CKM_DES3_KEY_GEN" in names and "CKM_DES3_CBC_PAD" in names:
        try:
            des3 = session.generateKey([(CKA_CLASS, CKO_SECRET_KEY), (CKA_KEY_TYPE, CKK_DES3),
                                        (CKA_SENSITIVE, False), (CKA_EXTRACTABLE, True), (CKA_ENCRYPT, True),
                                        (CKA_DECRYPT, True), (CKA_LABEL, "py-des3")],
                                       mecha=Mechanism(CKM_DES3_KEY_GEN))
            value = bytes(session.getAttributeValue(des3, [CKA_VALUE])[0])
            v.check("C_GenerateKey CKM_DES3_KEY_GEN: 24 bytes, each of odd parity",
                    len(value) == 24 and all(bin(b).count("1") % 2 == 1 for b in value), value.hex())
            iv = bytes(range(8))
            ct = bytes(session.encrypt(des3, DATA, Mechanism(CKM_DES3_CBC_PAD, iv)))
            d = Cipher(TripleDES(value), modes.CBC(iv)).decryptor()
            pt = d.update(ct) + d.finalize()
            v.check("CKM_DES3_CBC_PAD ciphertext decrypts in software to the message",
                    pt[:len(DATA)] == DATA and pt[len(DATA):] == bytes([len(pt) - len(DATA)]) * (len(pt) - len(DATA)),
                    ct.hex())
            back = bytes(session.decrypt(des3, ct, Mechanism(CKM_DES3_CBC_PAD, iv)))
            v.check("CKM_DES3_CBC_PAD decryption on the token gives the message back", back == DATA, back.hex())
        except PyKCS11Error as e:
            v.failed("triple-DES: CKM_DES3_KEY_GEN, CKM_DES3_CBC_PAD", rv_name(e))
    if "CKM_RSA_PKCS_KEY_PAIR_GEN" in names and \
            lib.getMechanismInfo(slot, "CKM_RSA_PKCS_KEY_PAIR_GEN").ulMinKeySize <= 1024:
        pub, priv = session_pair("RSA-1024 (py-rsa1024)", CKM_RSA_PKCS_KEY_PAIR_GEN,
                                 [(CKA_VERIFY, True), (CKA_MODULUS_BITS, 1024),
                                  (CKA_PUBLIC_EXPONENT, (0x01, 0x00, 0x01))], [(CKA_SIGN, True)])
        if pub is not None:
            n, e_ = session.getAttributeValue(pub, [CKA_MODULUS, CKA_PUBLIC_EXPONENT])
            key1024 = rsa.RSAPublicNumbers(int.from_bytes(bytes(e_), "big"),
                                           int.from_bytes(bytes(n), "big")).public_key()
            v.check("C_GenerateKeyPair RSA-1024: a 1024-bit modulus", key1024.key_size == 1024,
                    f"{key1024.key_size} bits")
            sign("CKM_SHA256_RSA_PKCS signature with an RSA-1024 key verified by python3-cryptography", priv,
                 Mechanism(CKM_SHA256_RSA_PKCS), DATA,
                 lambda sig: key1024.verify(sig, DATA, padding.PKCS1v15(), hashes.SHA256()))

    # --- MACs: every MAC mechanism the token lists --------------------------------------
    for name in sorted(str(m) for m in mechanisms if "MAC" in str(m)):
        if name in skiplist:
            v.skipped(f"{name} MAC", skiplist[name])
            continue
        if name not in MACS:
            v.failed(f"{name} MAC: the token lists it, this client has no check for it",
                     "add one to tests/interop/pykcs11_client.py, or list it in docs/COMPATIBILITY.md")
            continue
        lab, expected = MACS[name]
        key = secret.get(lab)
        if key is None:
            v.failed(f"{name} MAC", f"no key {lab}")
            continue
        try:
            mac = bytes(session.sign(key, DATA, Mechanism(CKM[name])))
            v.check(f"{name} MAC equals the one computed in software", mac == expected(DATA),
                    f"token {mac.hex()} software {expected(DATA).hex()}")
            ok = session.verify(key, DATA, mac, Mechanism(CKM[name]))
            bad = bytearray(mac)
            bad[0] ^= 1
            refused = not session.verify(key, DATA, bytes(bad), Mechanism(CKM[name]))
            v.check(f"{name} C_Verify accepts the MAC and refuses a tampered one", ok and refused,
                    f"accepts: {ok}, refuses tampered: {refused}")
        except PyKCS11Error as e:
            v.failed(f"{name} MAC", rv_name(e))

    # --- sensitive attributes ------------------------------------------------------------
    # Asking for a sensitive attribute together with CKA_LABEL: the call
    # returns CKR_ATTRIBUTE_SENSITIVE and still fills CKA_LABEL.
    def sensitive(obj, lab, attr_name, attr):
        what = f"{attr_name} of {lab} comes back as CKR_ATTRIBUTE_SENSITIVE, CKA_LABEL still filled"
        if obj is None:
            v.failed(what, "no object")
            return
        template = LowLevel.ckattrlist(2)
        template[0].SetType(CKA_LABEL)
        template[1].SetType(attr)
        rv1 = session.lib.C_GetAttributeValue(session.session, obj, template)  # lengths
        rv2 = session.lib.C_GetAttributeValue(session.session, obj, template)  # values
        got_label = bytes(template[0].GetBin()).decode(errors="replace")
        v.check(what, rv1 == rv2 == CKR_ATTRIBUTE_SENSITIVE and got_label == lab,
                f"{CKR.get(rv1, rv1)} / {CKR.get(rv2, rv2)}, label {got_label!r}")

    sensitive(ec_priv, "py-ec", "CKA_VALUE", CKA_VALUE)
    for attr_name, attr in (("CKA_PRIVATE_EXPONENT", CKA_PRIVATE_EXPONENT), ("CKA_PRIME_1", CKA_PRIME_1),
                            ("CKA_PRIME_2", CKA_PRIME_2), ("CKA_EXPONENT_1", CKA_EXPONENT_1),
                            ("CKA_EXPONENT_2", CKA_EXPONENT_2), ("CKA_COEFFICIENT", CKA_COEFFICIENT)):
        sensitive(rsa_priv, "py-rsa", attr_name, attr)
    sensitive(secret["py-hmac"], "py-hmac", "CKA_VALUE", CKA_VALUE)
    for obj, lab in ((ec_priv, "py-ec"), (rsa_priv, "py-rsa")):
        if obj is None:
            continue
        flags = session.getAttributeValue(obj, [CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_ALWAYS_SENSITIVE,
                                                CKA_NEVER_EXTRACTABLE, CKA_LOCAL])
        v.check(f"{lab}: CKA_SENSITIVE, !CKA_EXTRACTABLE, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE, CKA_LOCAL",
                flags == [True, False, True, True, True], f"{flags}")

    # --- after logout -----------------------------------------------------------------------
    session.logout()
    v.passed("C_Logout")
    for obj, lab, mech in ((ec_priv, "py-ec", Mechanism(CKM_ECDSA)),
                           (rsa_priv, "py-rsa",
                            RSA_PSS_Mechanism(CKM_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, 32))):
        if obj is None:
            continue
        try:
            session.sign(obj, hashlib.sha256(DATA).digest(), mech)
            v.failed(f"signing with {lab} after logout is refused", "C_Sign succeeded")
        except PyKCS11Error as e:
            v.passed(f"signing with {lab} after logout is refused ({rv_name(e)})")
            v.check(f"signing with {lab} after logout: C_SignInit's code for it",
                    e.value in (CKR_USER_NOT_LOGGED_IN, CKR_KEY_HANDLE_INVALID),
                    f"{rv_name(e)}; PKCS#11 2.40 lists CKR_USER_NOT_LOGGED_IN or CKR_KEY_HANDLE_INVALID")
    privs = session.findObjects([(CKA_CLASS, CKO_PRIVATE_KEY)])
    v.check("private keys are invisible after logout", len(privs) == 0, f"{len(privs)} found")
    pubs = session.findObjects([(CKA_CLASS, CKO_PUBLIC_KEY), (CKA_LABEL, "py-ec")])
    v.check("public keys stay visible after logout", len(pubs) == 1, f"{len(pubs)} found")
    session.closeSession()


if __name__ == "__main__":
    main()
