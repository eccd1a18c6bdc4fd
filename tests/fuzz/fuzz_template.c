/* libFuzzer target: templates, for every way of making an object -
 * C_CreateObject, C_CopyObject, C_SetAttributeValue, C_GenerateKey,
 * C_GenerateKeyPair, C_UnwrapKey, C_DeriveKey - against the golden token
 * (fuzz_token.c) on the simulated flash. The template is the input's:
 * types, lengths, values, duplicates, NULL values with lengths.
 *
 * Input: flags (1 byte: bit 0 log the user in, bit 1 use a read-only
 * session, bit 2 pass the template as NULL with its count), the function
 * (1 byte), the golden object it works on (1 byte: the object copied or
 * changed, the unwrapping key, the base key), the mechanism (1 byte, an
 * index into the function's list), a template, a second template (the
 * private half of a pair), and for C_UnwrapKey a mode (1 byte: 0 the
 * bytes that follow wrapped under the golden KEK by the harness with the
 * mechanism's KW or KWP, so that the token's decoder sees them; 1 the
 * bytes as the wrapped key) and bytes (2-byte length).
 *
 * Checks: the return code is one PKCS#11 allows the function; a call that
 * failed changed nothing - not one bit of flash, not the objects the
 * session sees; a new object is readable in full and gives no secret of a
 * protected key (fz_check_object), claims only the history it has
 * (CKA_LOCAL, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE,
 * CKA_KEY_GEN_MECHANISM), and a token object is still there after the
 * library is finalised and the store mounted again. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_token.h"
#include "nvt_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { OP_CREATE, OP_COPY, OP_SET, OP_GENKEY, OP_PAIR, OP_UNWRAP, OP_DERIVE, OPS };

static const CK_MECHANISM_TYPE genkey_mechs[] = { CKM_AES_KEY_GEN, CKM_GENERIC_SECRET_KEY_GEN };
static const CK_MECHANISM_TYPE unwrap_mechs[] = { CKM_AES_KEY_WRAP, CKM_AES_KEY_WRAP_PAD };
/* RSA key-pair generation is left out: a valid template makes a key of
 * 2048 bits or more, seconds under the sanitizers. Its template rules are
 * the engine's (tok_obj_build), shared with the EC pair. */

static const fz_fn_t op_fn[OPS] = { FZ_FN_CREATE, FZ_FN_COPY, FZ_FN_SET_ATTR, FZ_FN_GENERATE_KEY,
                                    FZ_FN_GENERATE_PAIR, FZ_FN_UNWRAP, FZ_FN_DERIVE };

static CK_ULONG count_objects(CK_SESSION_HANDLE s)
{
    CK_OBJECT_HANDLE h[64];
    CK_ULONG n = 0, total = 0;
    FZ_CHECK(C_FindObjectsInit(s, NULL, 0) == CKR_OK, "find init");
    do {
        FZ_CHECK(C_FindObjects(s, h, 64, &n) == CKR_OK, "find");
        total += n;
    } while (n > 0);
    FZ_CHECK(C_FindObjectsFinal(s) == CKR_OK, "find final");
    return total;
}

static long get_num(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, size_t size)
{
    CK_ULONG v = 0;
    CK_ATTRIBUTE a = { type, &v, (CK_ULONG)size };
    if (C_GetAttributeValue(s, h, &a, 1) != CKR_OK || a.ulValueLen != size) {
        return -1;
    }
    return size == 1 ? (long)*(CK_BBOOL *)&v : (long)v;
}

/* What a new key may claim about its history. */
static void check_history(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, int op, CK_MECHANISM_TYPE mech)
{
    long cls = get_num(s, h, CKA_CLASS, sizeof(CK_ULONG));
    if (cls != (long)CKO_SECRET_KEY && cls != (long)CKO_PRIVATE_KEY && cls != (long)CKO_PUBLIC_KEY) {
        return;
    }
    long local = get_num(s, h, CKA_LOCAL, 1);
    long kgm = get_num(s, h, CKA_KEY_GEN_MECHANISM, sizeof(CK_ULONG));
    FZ_CHECK(local == (op == OP_GENKEY || op == OP_PAIR), "CKA_LOCAL %ld after function %d", local, op);
    if (op == OP_GENKEY || op == OP_PAIR) {
        FZ_CHECK(kgm == (long)mech, "CKA_KEY_GEN_MECHANISM 0x%lx, made by 0x%lx", (unsigned long)kgm,
                 (unsigned long)mech);
    } else {
        FZ_CHECK(kgm == (long)CK_UNAVAILABLE_INFORMATION, "CKA_KEY_GEN_MECHANISM 0x%lx of a key not generated",
                 (unsigned long)kgm);
    }
    if (cls == (long)CKO_PUBLIC_KEY) {
        return;
    }
    long sens = get_num(s, h, CKA_SENSITIVE, 1), extr = get_num(s, h, CKA_EXTRACTABLE, 1);
    long as = get_num(s, h, CKA_ALWAYS_SENSITIVE, 1), ne = get_num(s, h, CKA_NEVER_EXTRACTABLE, 1);
    if (op == OP_GENKEY || op == OP_PAIR) {
        FZ_CHECK(as == sens && ne == !extr, "generated key: always sensitive %ld (sensitive %ld), never extractable "
                                            "%ld (extractable %ld)", as, sens, ne, extr);
    } else if (op == OP_CREATE || op == OP_UNWRAP) {
        FZ_CHECK(as == 0 && ne == 0, "a key from outside claims always sensitive %ld, never extractable %ld", as, ne);
    } else if (op == OP_DERIVE) {
        FZ_CHECK(!(as == 1 && sens != 1) && !(ne == 1 && extr != 0), "derived key: as %ld ne %ld", as, ne);
    }
}

/* A token object made in this run is there after a new mount. */
static void check_remount(int login, CK_ULONG before_remount)
{
    CK_SESSION_HANDLE s;
    FZ_CHECK(C_Finalize(NULL) == CKR_OK, "finalize");
    nvt_fuzz_entropy_reset(6);
    FZ_CHECK(C_Initialize(NULL) == CKR_OK, "initialize again");
    FZ_CHECK(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s) == CKR_OK, "session after the new mount");
    if (login) {
        static CK_UTF8CHAR pin[] = FZ_USER_PIN;
        FZ_CHECK(C_Login(s, CKU_USER, pin, 4) == CKR_OK, "login after the new mount");
    }
    CK_ULONG n = count_objects(s);
    FZ_CHECK(n == before_remount, "after a new mount %lu token objects are seen, before it %lu", (unsigned long)n,
             (unsigned long)before_remount);
}

/* Token objects the session sees. */
static CK_ULONG count_token_objects(CK_SESSION_HANDLE s)
{
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t = { CKA_TOKEN, &yes, 1 };
    CK_OBJECT_HANDLE h[64];
    CK_ULONG n = 0, total = 0;
    FZ_CHECK(C_FindObjectsInit(s, &t, 1) == CKR_OK, "find init");
    do {
        FZ_CHECK(C_FindObjects(s, h, 64, &n) == CKR_OK, "find");
        total += n;
    } while (n > 0);
    FZ_CHECK(C_FindObjectsFinal(s) == CKR_OK, "find final");
    return total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t in = { data, size };
    unsigned flags = fz_u8(&in);
    int op = fz_u8(&in) % OPS;
    unsigned obj = fz_u8(&in) % FZ_OBJS;
    unsigned mech_i = fz_u8(&in);
    fz_tmpl_t t1, t2;
    fz_tmpl_read(&in, &t1);
    fz_tmpl_read(&in, &t2);
    int wrap_mode = fz_u8(&in) & 1u;
    size_t blob_len;
    const uint8_t *blob = fz_bytes(&in, fz_u16(&in), &blob_len);

    CK_SESSION_HANDLE rw, s;
    int login = flags & 1u;
    fz_golden_reset(login, &rw);
    s = rw;
    if (flags & 2u) {
        FZ_CHECK(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s) == CKR_OK, "read-only session");
    }
    CK_ATTRIBUTE *tp = (flags & 4u) ? NULL : t1.a;

    CK_ULONG objects = count_objects(s), token_objects = count_token_objects(s);
    uint64_t image = fz_flash_hash();
    CK_OBJECT_HANDLE h1 = CK_INVALID_HANDLE, h2 = CK_INVALID_HANDLE;
    CK_MECHANISM m = { 0, NULL, 0 };
    CK_ECDH1_DERIVE_PARAMS ecdh = { CKD_NULL, 0, NULL, sizeof(fz_peer_point), NULL };
    uint8_t peer[sizeof(fz_peer_point)];
    uint8_t *wrapped = NULL;
    CK_RV rv;
    switch (op) {
    case OP_CREATE: rv = C_CreateObject(s, tp, t1.n, &h1); break;
    case OP_COPY: rv = C_CopyObject(s, fz_obj[obj], tp, t1.n, &h1); break;
    case OP_SET: rv = C_SetAttributeValue(s, fz_obj[obj], tp, t1.n); break;
    case OP_GENKEY:
        m.mechanism = genkey_mechs[mech_i % 2];
        rv = C_GenerateKey(s, &m, tp, t1.n, &h1);
        break;
    case OP_PAIR:
        m.mechanism = CKM_EC_KEY_PAIR_GEN;
        rv = C_GenerateKeyPair(s, &m, tp, t1.n, t2.a, t2.n, &h1, &h2);
        break;
    case OP_UNWRAP: {
        m.mechanism = unwrap_mechs[mech_i % 2];
        size_t len = blob_len;
        if (wrap_mode == 0) {
            /* wrapped by the harness: the token's decoder sees the bytes */
            int pad = m.mechanism == CKM_AES_KEY_WRAP_PAD;
            size_t plain = pad ? blob_len : (blob_len < 16 ? 16 : (blob_len + 7) / 8 * 8);
            uint8_t *buf = calloc(1, plain + 1);
            memcpy(buf, blob, blob_len);
            wrapped = malloc(plain + 16);
            if (plain == 0 || nvt_crypto_aes_kw_wrap(pad, fz_kek_value, sizeof(fz_kek_value), buf, plain, wrapped,
                                                     plain + 16, &len) != NVT_OK) {
                len = 0;
            }
            free(buf);
        } else {
            wrapped = malloc(blob_len);
            if (blob_len > 0) {
                memcpy(wrapped, blob, blob_len);
            }
        }
        rv = C_UnwrapKey(s, &m, fz_obj[obj], wrapped, (CK_ULONG)len, tp, t1.n, &h1);
        break;
    }
    default: /* OP_DERIVE */
        m.mechanism = CKM_ECDH1_DERIVE;
        memcpy(peer, fz_peer_point, sizeof(peer));
        ecdh.pPublicData = peer;
        m.pParameter = &ecdh;
        m.ulParameterLen = sizeof(ecdh);
        rv = C_DeriveKey(s, &m, fz_obj[obj], tp, t1.n, &h1);
        break;
    }
    fz_trace("%s(object %u, template of %lu) = 0x%lx", fz_fn_name(op_fn[op]), obj, (unsigned long)t1.n,
             (unsigned long)rv);
    FZ_CHECK(fz_rv_allowed(op_fn[op], rv), "%s returned 0x%lx", fz_fn_name(op_fn[op]), (unsigned long)rv);
    if (rv != CKR_OK) {
        /* changes nothing */
        FZ_CHECK(fz_flash_hash() == image, "%s failed (0x%lx) but changed the flash", fz_fn_name(op_fn[op]),
                 (unsigned long)rv);
        FZ_CHECK(count_objects(s) == objects, "%s failed (0x%lx) but the objects changed", fz_fn_name(op_fn[op]),
                 (unsigned long)rv);
    } else {
        CK_OBJECT_HANDLE made[2] = { op == OP_SET ? fz_obj[obj] : h1, h2 };
        CK_ULONG new_token = 0;
        for (int i = 0; i < 2; i++) {
            if (made[i] != CK_INVALID_HANDLE) {
                FZ_CHECK(fz_check_object(s, made[i]) == 0, "a new object cannot be read");
                if (op != OP_SET && op != OP_COPY) {
                    check_history(s, made[i], op, m.mechanism);
                }
                new_token += op != OP_SET && get_num(s, made[i], CKA_TOKEN, 1) == 1;
            }
        }
        FZ_CHECK(count_token_objects(s) == token_objects + new_token, "%lu token objects, %lu before and %lu made",
                 (unsigned long)count_token_objects(s), (unsigned long)token_objects, (unsigned long)new_token);
        check_remount(login, token_objects + new_token);
    }
    free(wrapped);
    fz_tmpl_free(&t1);
    fz_tmpl_free(&t2);
    FZ_CHECK(C_Finalize(NULL) == CKR_OK, "finalize");
    return 0;
}
