/* libFuzzer target: mechanism parameters - CBC IVs, CTR counter blocks,
 * GCM (IV, AAD, tag length; both CK_GCM_PARAMS layouts), PSS, OAEP (hash,
 * MGF, label), ECDH1 derive (KDF, shared data, the peer's point), AES key
 * wrap IVs - and, for every mechanism, a parameter where none is taken,
 * against the golden token's keys (fuzz_token.c).
 *
 * Input: function (1 byte: encrypt, decrypt, sign, verify, digest, wrap,
 * unwrap, derive, generate a key, generate a pair), key (1 byte, a golden
 * object), second key (1 byte: the key wrapped), output mode (1 byte: 0
 * exact room, 1 a length query first, 2 one byte of room first), a
 * mechanism (fuzz_token.h: type and parameter), data (2-byte length,
 * bytes: the input, the signature, the wrapped key).
 *
 * Checks: each call returns a code PKCS#11 allows it; an init that failed
 * left no operation behind; a length query answers at least what the call
 * then writes, and too small a buffer is CKR_BUFFER_TOO_SMALL with the
 * operation still there for the retry; what is made is a session object,
 * so the flash never changes. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { F_ENCRYPT, F_DECRYPT, F_SIGN, F_VERIFY, F_DIGEST, F_WRAP, F_UNWRAP, F_DERIVE, F_GENKEY, F_PAIR, F_COUNT };

static CK_RV check(fz_fn_t fn, CK_RV rv)
{
    fz_trace("  %s: 0x%lx", fz_fn_name(fn), (unsigned long)rv);
    FZ_CHECK(fz_rv_allowed(fn, rv), "%s returned 0x%lx", fz_fn_name(fn), (unsigned long)rv);
    return rv;
}

typedef CK_RV (*init_fn)(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE);
typedef CK_RV (*single_fn)(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR);
typedef CK_RV (*update_fn)(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR);

/* Call a single-part function with the output mode's buffers: the length
 * it asks for is checked against what it writes. Returns the output (the
 * caller frees it) if the call worked, else NULL. */
static uint8_t *single(single_fn f, fz_fn_t fn, CK_SESSION_HANDLE s, uint8_t *in, CK_ULONG in_len, unsigned mode,
                       CK_ULONG *out_len)
{
    CK_ULONG need = 0;
    if (mode == 1) {
        if (check(fn, f(s, in, in_len, NULL, &need)) != CKR_OK) {
            return NULL;
        }
        FZ_CHECK(need < (1u << 24), "length query: %lu", (unsigned long)need);
    } else if (mode == 2) {
        uint8_t *one = malloc(1);
        need = 1;
        CK_RV rv = check(fn, f(s, in, in_len, one, &need));
        if (rv != CKR_BUFFER_TOO_SMALL) {
            /* done (it fitted) or ended */
            *out_len = need;
            if (rv == CKR_OK) {
                return one;
            }
            free(one);
            return NULL;
        }
        free(one);
        FZ_CHECK(need > 1 && need < (1u << 24), "too small a buffer: %lu asked", (unsigned long)need);
    } else {
        need = in_len + 1024;
    }
    uint8_t *out = malloc(need > 0 ? need : 1);
    CK_ULONG got = need;
    CK_RV rv = check(fn, f(s, in, in_len, out, &got));
    FZ_CHECK(rv == CKR_BUFFER_TOO_SMALL ? mode == 0 : rv != CKR_OK || got <= need,
             "%s wrote %lu bytes after asking for %lu (0x%lx)", fz_fn_name(fn), (unsigned long)got,
             (unsigned long)need, (unsigned long)rv);
    if (rv == CKR_BUFFER_TOO_SMALL) {
        /* still active: the retry with the room it asked for */
        out = realloc(out, got);
        need = got;
        rv = check(fn, f(s, in, in_len, out, &got));
        FZ_CHECK(rv != CKR_BUFFER_TOO_SMALL && (rv != CKR_OK || got <= need), "retry of %s", fz_fn_name(fn));
    }
    if (rv != CKR_OK) {
        free(out);
        return NULL;
    }
    *out_len = got;
    return out;
}

/* The golden key that undoes what key i does: the other half of a pair,
 * or the secret key itself; FZ_OBJS if there is none. */
static unsigned counterpart(unsigned i)
{
    switch (i) {
    case FZ_EC_PRIV:
    case FZ_EC_OPEN: return FZ_EC_PUB;
    case FZ_RSA_PRIV: return FZ_RSA_PUB;
    case FZ_RSA_PUB: return FZ_RSA_PRIV;
    case FZ_AES_KEK:
    case FZ_AES_256:
    case FZ_HMAC:
    case FZ_SECRET_OPEN: return i;
    default: return FZ_OBJS;
    }
}

/* a and b equal as numbers (raw RSA gives the modulus's length). */
static int same_number(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    while (an > 0 && a[0] == 0) {
        a++;
        an--;
    }
    while (bn > 0 && b[0] == 0) {
        b++;
        bn--;
    }
    return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* What was encrypted decrypts to the input; what was signed verifies. */
static void round_trip(CK_SESSION_HANDLE s, CK_MECHANISM *m, unsigned fn, unsigned key_i, const uint8_t *in,
                       CK_ULONG in_len, uint8_t *out, CK_ULONG out_len)
{
    unsigned other = counterpart(key_i);
    if (other == FZ_OBJS) {
        return;
    }
    CK_RV rv;
    if (fn == 0) { /* encrypted */
        rv = C_DecryptInit(s, m, fz_obj[other]);
        FZ_CHECK(rv == CKR_OK, "mechanism 0x%lx: encrypted, but the decryption does not start (0x%lx)",
                 (unsigned long)m->mechanism, (unsigned long)rv);
        CK_ULONG n = out_len + 1024;
        uint8_t *plain = malloc(n);
        rv = C_Decrypt(s, out, out_len, plain, &n);
        FZ_CHECK(rv == CKR_OK && (m->mechanism == CKM_RSA_X_509 ? same_number(plain, n, in, in_len)
                                                                : n == in_len && memcmp(plain, in, n) == 0),
                 "mechanism 0x%lx: what was encrypted does not decrypt to the input (0x%lx, %lu of %lu bytes)",
                 (unsigned long)m->mechanism, (unsigned long)rv, (unsigned long)n, (unsigned long)in_len);
        free(plain);
    } else { /* signed */
        rv = C_VerifyInit(s, m, fz_obj[other]);
        FZ_CHECK(rv == CKR_OK, "mechanism 0x%lx: signed, but the verification does not start (0x%lx)",
                 (unsigned long)m->mechanism, (unsigned long)rv);
        rv = C_Verify(s, (CK_BYTE_PTR)(uintptr_t)in, in_len, out, out_len);
        FZ_CHECK(rv == CKR_OK, "mechanism 0x%lx: a signature the token made does not verify (0x%lx)",
                 (unsigned long)m->mechanism, (unsigned long)rv);
    }
}

/* After an init that failed, or an operation that ended: none is active. */
static void none_active(update_fn f, CK_SESSION_HANDLE s)
{
    uint8_t b[16];
    CK_ULONG n = sizeof(b);
    CK_RV rv = f(s, b, 1, b, &n);
    FZ_CHECK(rv == CKR_OPERATION_NOT_INITIALIZED, "an operation is active after it failed or ended (0x%lx)",
             (unsigned long)rv);
}

static CK_RV verify_update(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    (void)out;
    (void)out_len;
    return C_VerifyUpdate(s, in, n);
}

static CK_RV sign_update(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    (void)out;
    (void)out_len;
    return C_SignUpdate(s, in, n);
}

static CK_RV digest_update(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    (void)out;
    (void)out_len;
    return C_DigestUpdate(s, in, n);
}

/* C_Verify through the single-part shape: sig is the input's. */
static uint8_t *verify_sig;
static CK_ULONG verify_sig_len;
static CK_RV verify_single(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    (void)out;
    (void)out_len;
    return C_Verify(s, in, n, verify_sig, verify_sig_len);
}

static CK_RV digest_init(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE h)
{
    (void)h;
    return C_DigestInit(s, m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t in = { data, size };
    unsigned fn = fz_u8(&in) % F_COUNT;
    unsigned key_i = fz_u8(&in) % FZ_OBJS, other_i = fz_u8(&in) % FZ_OBJS;
    unsigned mode = fz_u8(&in) % 3u;
    fz_mech_t m;
    fz_mech_read(&in, &m);
    size_t len;
    const uint8_t *d = fz_bytes(&in, fz_u16(&in), &len);
    uint8_t *buf = malloc(len > 0 ? len : 1);
    if (len > 0) {
        memcpy(buf, d, len);
    }

    CK_SESSION_HANDLE s;
    fz_golden_reset(1, &s);
    uint64_t image = fz_flash_hash();
    CK_OBJECT_HANDLE key = fz_obj[key_i], other = fz_obj[other_i], h = 0, h2 = 0;
    fz_trace("function %u, mechanism 0x%lx, parameter %lu bytes, key %lu", fn, (unsigned long)m.m.mechanism,
             (unsigned long)m.m.ulParameterLen, (unsigned long)key_i);
    CK_BBOOL no = CK_FALSE;
    CK_OBJECT_CLASS sec = CKO_SECRET_KEY, priv = CKO_PRIVATE_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_ULONG len16 = 16;
    static const uint8_t p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    CK_ATTRIBUTE t_secret[] = { { CKA_CLASS, &sec, sizeof(sec) }, { CKA_KEY_TYPE, &aes, sizeof(aes) },
                                { CKA_TOKEN, &no, 1 }, { CKA_VALUE_LEN, &len16, sizeof(len16) } };
    CK_ATTRIBUTE t_unwrap[] = { { CKA_CLASS, other_i == FZ_EC_OPEN ? &priv : &sec, sizeof(sec) }, { CKA_TOKEN, &no, 1 } };
    CK_ATTRIBUTE t_pub[] = { { CKA_TOKEN, &no, 1 }, { CKA_EC_PARAMS, (void *)(uintptr_t)p256, sizeof(p256) } };
    CK_ATTRIBUTE t_priv[] = { { CKA_TOKEN, &no, 1 } };
    switch (fn) {
    case F_ENCRYPT:
    case F_DECRYPT: {
        init_fn init = fn == F_ENCRYPT ? C_EncryptInit : C_DecryptInit;
        single_fn one = fn == F_ENCRYPT ? C_Encrypt : C_Decrypt;
        update_fn upd = fn == F_ENCRYPT ? C_EncryptUpdate : C_DecryptUpdate;
        if (check(FZ_FN_CRYPT_INIT, init(s, &m.m, key)) != CKR_OK) {
            none_active(upd, s);
            break;
        }
        if (mode == 2 && len > 1) {
            /* multi-part: two updates and the final */
            CK_ULONG half = (CK_ULONG)len / 2, n = (CK_ULONG)len + 64;
            uint8_t *out = malloc(n);
            CK_RV rv = check(FZ_FN_CRYPT_UPDATE, upd(s, buf, half, out, &n));
            if (rv == CKR_OK) {
                n = (CK_ULONG)len + 64;
                rv = check(FZ_FN_CRYPT_UPDATE, upd(s, buf + half, (CK_ULONG)len - half, out, &n));
            }
            if (rv == CKR_OK) {
                n = (CK_ULONG)len + 64;
                rv = check(FZ_FN_CRYPT_FINAL, fn == F_ENCRYPT ? C_EncryptFinal(s, out, &n) : C_DecryptFinal(s, out, &n));
            }
            free(out);
            if (rv != CKR_BUFFER_TOO_SMALL) {
                none_active(upd, s);
            }
            break;
        }
        CK_ULONG out_len = 0;
        uint8_t *out = single(one, FZ_FN_CRYPT, s, buf, (CK_ULONG)len, mode, &out_len);
        if (out != NULL && fn == F_ENCRYPT) {
            round_trip(s, &m.m, 0, key_i, buf, (CK_ULONG)len, out, out_len);
        }
        free(out);
        break;
    }
    case F_SIGN:
        if (check(FZ_FN_SIGN_INIT, C_SignInit(s, &m.m, key)) != CKR_OK) {
            none_active(sign_update, s);
            break;
        }
        CK_ULONG sig_len = 0;
        uint8_t *sig = single(C_Sign, FZ_FN_SIGN, s, buf, (CK_ULONG)len, mode, &sig_len);
        if (sig != NULL) {
            round_trip(s, &m.m, 1, key_i, buf, (CK_ULONG)len, sig, sig_len);
        }
        free(sig);
        break;
    case F_VERIFY:
        if (check(FZ_FN_SIGN_INIT, C_VerifyInit(s, &m.m, key)) != CKR_OK) {
            none_active(verify_update, s);
            break;
        }
        /* the first half is the data, the rest the signature */
        verify_sig = buf + len / 2;
        verify_sig_len = (CK_ULONG)(len - len / 2);
        check(FZ_FN_VERIFY, verify_single(s, buf, (CK_ULONG)len / 2, NULL, NULL));
        none_active(verify_update, s);
        break;
    case F_DIGEST:
        if (check(FZ_FN_DIGEST_INIT, digest_init(s, &m.m, key)) != CKR_OK) {
            none_active(digest_update, s);
            break;
        }
        CK_ULONG md_len = 0;
        free(single(C_Digest, FZ_FN_DIGEST, s, buf, (CK_ULONG)len, mode, &md_len));
        break;
    case F_WRAP: {
        CK_ULONG need = 0;
        CK_RV rv = check(FZ_FN_WRAP, C_WrapKey(s, &m.m, key, other, NULL, &need));
        if (rv == CKR_OK) {
            FZ_CHECK(need < 65536, "wrap length %lu", (unsigned long)need);
            uint8_t *out = malloc(need > 0 ? need : 1);
            CK_ULONG got = need;
            rv = check(FZ_FN_WRAP, C_WrapKey(s, &m.m, key, other, out, &got));
            FZ_CHECK(rv != CKR_OK || got <= need, "wrap wrote %lu of %lu", (unsigned long)got, (unsigned long)need);
            free(out);
        }
        break;
    }
    case F_UNWRAP:
        check(FZ_FN_UNWRAP, C_UnwrapKey(s, &m.m, key, buf, (CK_ULONG)len, t_unwrap, 2, &h));
        break;
    case F_DERIVE:
        check(FZ_FN_DERIVE, C_DeriveKey(s, &m.m, key, t_secret, 4, &h));
        break;
    case F_GENKEY:
        check(FZ_FN_GENERATE_KEY, C_GenerateKey(s, &m.m, t_secret, 4, &h));
        break;
    default:
        /* RSA pairs take seconds here: only their parameter check runs */
        if (m.m.mechanism != CKM_RSA_PKCS_KEY_PAIR_GEN || m.m.pParameter != NULL || m.m.ulParameterLen != 0) {
            check(FZ_FN_GENERATE_PAIR, C_GenerateKeyPair(s, &m.m, t_pub, 2, t_priv, 1, &h, &h2));
        }
        break;
    }
    if (h != 0) {
        FZ_CHECK(fz_check_object(s, h) == 0, "a new object cannot be read");
    }
    FZ_CHECK(fz_flash_hash() == image, "function %u with mechanism 0x%lx changed the flash", fn,
             (unsigned long)m.m.mechanism);
    FZ_CHECK(C_Finalize(NULL) == CKR_OK, "finalize");
    fz_mech_free(&m);
    free(buf);
    return 0;
}
