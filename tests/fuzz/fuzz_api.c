/* libFuzzer target: the PKCS#11 API itself, statefully. The input is a
 * program of C_* calls - sessions opened and closed, logins and logouts,
 * PINs set, objects made, changed, copied, destroyed and found, operations
 * begun, fed, finished, aborted and interleaved across sessions, output
 * buffers absent, too small and large enough, keys made, wrapped,
 * unwrapped and derived, the token initialised again - run against the
 * golden token (fuzz_token.c) on the simulated flash.
 *
 * After every call:
 * - its return code is one PKCS#11 allows that function;
 * - a call that failed changed nothing: not one bit of flash (a wrong PIN
 *   is counted in the counter record by design: that record alone may
 *   change; a full store may compact: the records must then be as they
 *   were), and not the objects the token holds in RAM;
 * - a call that only reads (attributes, find, cryptography with existing
 *   keys, session management) wrote nothing to flash, even when it worked;
 * - no attribute read gives the value of a secret attribute of a private
 *   or secret key that is sensitive or unextractable, and no object a find
 *   returns is private unless the user is logged in.
 * At the end the library is finalised and the store mounted again: the
 * token objects seen are exactly those the calls committed (a model of
 * them, by the fingerprint of their readable attributes, follows every
 * call); fsck finds the store sound; LeakSanitizer finds no leak.
 *
 * Input: a sequence of calls, each an opcode (1 byte) and its arguments
 * (see the cases below; indices pick a session, an object, a PIN, a
 * mechanism from the tables here, one past the end picking a handle that
 * was never valid). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_token.h"
#include "nvtoken/store.h"
#include "tok_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ------------------------------------------------------------------------
 * What the harness knows: handles, PINs, the model of the token objects
 * ---------------------------------------------------------------------- */

#define MAX_SESSIONS 8u
#define MAX_OBJECTS 48u
#define MAX_MODEL 256u
#define MAX_CALLS 64u

/* PINs by index: the SO's, the user's, wrong, empty, too long (70 bytes),
 * and new ones. */
static const char long_pin[] = ("7777777777777777777777777777777777777777777777777777777777777777777777");
static const char *const pins[] = { FZ_SO_PIN, FZ_USER_PIN, "0000", "", long_pin, "abcd", "newpin1", "87654321" };
#define PINS (sizeof(pins) / sizeof(pins[0]))

typedef struct entry {
    uint64_t fp;
    int priv;
} entry_t;

static struct {
    CK_SESSION_HANDLE sess[MAX_SESSIONS];
    uint8_t open[MAX_SESSIONS]; /* 0 closed, 1 read-only, 2 read-write */
    unsigned nsess;
    CK_OBJECT_HANDLE obj[MAX_OBJECTS];
    unsigned nobj;
    int so_pin, user_pin; /* index into pins[]; user_pin -1: not set */
    CK_USER_TYPE login;   /* TOK_NOBODY, CKU_SO, CKU_USER */
    entry_t model[MAX_MODEL];
    unsigned nmodel;
    uint8_t blob[4096]; /* the last key wrapped */
    CK_ULONG blob_len;
} st;

/* The golden token objects' entries (computed once). */
static entry_t golden_model[FZ_OBJS];
static unsigned golden_n;

static void add_session(CK_SESSION_HANDLE h, int rw)
{
    if (st.nsess < MAX_SESSIONS) {
        st.open[st.nsess] = (uint8_t)(rw ? 2 : 1);
        st.sess[st.nsess++] = h;
    }
}

static void closed(CK_SESSION_HANDLE h)
{
    for (unsigned i = 0; i < st.nsess; i++) {
        if (st.sess[i] == h) {
            st.open[i] = 0;
        }
    }
}

/* Sessions open (read-write ones if rw); -1 if the table is full (some
 * sessions are not in it). */
static long open_sessions(int rw)
{
    long n = 0;
    for (unsigned i = 0; i < st.nsess; i++) {
        n += rw ? st.open[i] == 2 : st.open[i] != 0;
    }
    return st.nsess < MAX_SESSIONS ? n : -1;
}

static void add_object(CK_OBJECT_HANDLE h)
{
    for (unsigned i = 0; i < st.nobj; i++) {
        if (st.obj[i] == h) {
            return;
        }
    }
    if (st.nobj < MAX_OBJECTS) {
        st.obj[st.nobj++] = h;
    } else {
        st.obj[h % MAX_OBJECTS] = h;
    }
}

static CK_SESSION_HANDLE pick_session(fz_in_t *in)
{
    unsigned i = fz_u8(in) % (st.nsess + 1);
    return i < st.nsess ? st.sess[i] : (CK_SESSION_HANDLE)0x7fff;
}

static CK_OBJECT_HANDLE pick_object(fz_in_t *in)
{
    unsigned i = fz_u8(in) % (st.nobj + 1);
    return i < st.nobj ? st.obj[i] : (CK_OBJECT_HANDLE)0x7fff;
}

static int pick_pin(fz_in_t *in, CK_UTF8CHAR_PTR *p, CK_ULONG *len)
{
    unsigned i = fz_u8(in) % PINS;
    *p = (CK_UTF8CHAR_PTR)(uintptr_t)pins[i];
    *len = (CK_ULONG)strlen(pins[i]);
    return (int)i;
}

/* The fingerprint of an object: its readable attributes. 0: not visible. */
static uint64_t fingerprint(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, int *priv, int *token)
{
    /* Every attribute in one call (each one answered whatever the others
     * are; one read of the object from the store instead of one per type,
     * which made this the harness's most costly step on the device build). */
    enum { MAX_TYPES = 96, VALUE_MAX = 2048 };
    static uint8_t buf[MAX_TYPES][VALUE_MAX];
    static CK_ATTRIBUTE a[MAX_TYPES];
    FZ_CHECK(fz_type_count <= MAX_TYPES, "fingerprint: %zu attribute types", fz_type_count);
    uint64_t f = 0xcbf29ce484222325u;
    CK_BBOOL b = 0;
    CK_ATTRIBUTE tp[] = { { CKA_TOKEN, &b, 1 } };
    if (C_GetAttributeValue(s, h, tp, 1) != CKR_OK) {
        return 0;
    }
    *token = b != CK_FALSE;
    tp[0].type = CKA_PRIVATE;
    *priv = C_GetAttributeValue(s, h, tp, 1) == CKR_OK && b != CK_FALSE;
    memset(buf, 0, sizeof(buf)); /* an attribute array's elements: lengths only */
    for (size_t i = 0; i < fz_type_count; i++) {
        a[i].type = fz_types[i];
        a[i].pValue = buf[i];
        a[i].ulValueLen = VALUE_MAX;
    }
    (void)C_GetAttributeValue(s, h, a, (CK_ULONG)fz_type_count); /* what it may answer: fz_check_object */
    for (size_t i = 0; i < fz_type_count; i++) {
        if (a[i].ulValueLen == CK_UNAVAILABLE_INFORMATION) {
            continue;
        }
        f = (f ^ fz_types[i]) * 0x100000001b3u;
        for (CK_ULONG j = 0; j < a[i].ulValueLen; j++) {
            f = (f ^ buf[i][j]) * 0x100000001b3u;
        }
        f = (f ^ 0xffu) * 0x100000001b3u;
    }
    return f != 0 ? f : 1;
}

static void model_add(uint64_t fp, int priv)
{
    FZ_CHECK(st.nmodel < MAX_MODEL, "model full");
    st.model[st.nmodel].fp = fp;
    st.model[st.nmodel].priv = priv;
    st.nmodel++;
}

static void model_remove(uint64_t fp)
{
    for (unsigned i = 0; i < st.nmodel; i++) {
        if (st.model[i].fp == fp) {
            st.model[i] = st.model[--st.nmodel];
            return;
        }
    }
    fz_fail("the model has no object with fingerprint %llx", (unsigned long long)fp);
}

/* ------------------------------------------------------------------------
 * Checking a call
 * ---------------------------------------------------------------------- */

typedef struct before {
    uint8_t image[FZ_FLASH_BYTES];
    unsigned nsobjs;
    size_t arena;
    size_t nobjs;
} before_t;

static void snapshot(before_t *b)
{
    fz_flash_copy(b->image);
    b->nsobjs = tok.nsobjs;
    b->arena = tok.arena_used;
    b->nobjs = tok.slots[0].nobjs;
}

/* reads: the call must not write even when it works. */
static void after(const before_t *b, fz_fn_t fn, CK_RV rv, int reads)
{
    fz_trace("  %s: 0x%lx (session objects %u -> %u)", fz_fn_name(fn), (unsigned long)rv, b->nsobjs, tok.nsobjs);
    FZ_CHECK(fz_rv_allowed(fn, rv), "%s returned 0x%lx", fz_fn_name(fn), (unsigned long)rv);
    if (rv == CKR_OK && !reads) {
        return;
    }
    if (!fz_flash_same(b->image)) {
        /* a wrong PIN is counted; a full store may compact */
        FZ_CHECK(rv == CKR_PIN_INCORRECT || rv == CKR_DEVICE_MEMORY, "%s (0x%lx) changed the flash",
                 fz_fn_name(fn), (unsigned long)rv);
        FZ_CHECK(fz_records_hash(NULL) == fz_records_hash(b->image), "%s failed (0x%lx) and changed the records",
                 fz_fn_name(fn), (unsigned long)rv);
    }
    if (rv != CKR_OK) {
        FZ_CHECK(tok.nsobjs == b->nsobjs && tok.arena_used == b->arena && tok.slots[0].nobjs == b->nobjs,
                 "%s failed (0x%lx) and changed the objects in RAM", fz_fn_name(fn), (unsigned long)rv);
    }
}

/* A new or changed object: readable, and into the model if a token one. */
static void made(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h)
{
    int priv = 0, token = 0;
    add_object(h);
    FZ_CHECK(fz_check_object(s, h) == 0, "a new object cannot be read");
    uint64_t fp = fingerprint(s, h, &priv, &token);
    FZ_CHECK(fp != 0, "a new object is not visible");
    if (token) {
        model_add(fp, priv);
    }
}

/* ------------------------------------------------------------------------
 * Templates and mechanisms the programs use
 * ---------------------------------------------------------------------- */

static CK_OBJECT_CLASS c_data = CKO_DATA, c_sec = CKO_SECRET_KEY, c_priv = CKO_PRIVATE_KEY, c_pub = CKO_PUBLIC_KEY,
                       c_cert = CKO_CERTIFICATE;
static CK_KEY_TYPE k_aes = CKK_AES, k_gen = CKK_GENERIC_SECRET, k_ec = CKK_EC;
static CK_CERTIFICATE_TYPE x509 = CKC_X_509;
static CK_BBOOL bools[2] = { CK_FALSE, CK_TRUE };
static const uint8_t p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static uint8_t value32[32] = { 0x11, 0x22, 0x33 }, point_der[67], cert_der[512];
static size_t cert_len;
static CK_ULONG len16 = 16, len32 = 32;

#define AT(t, v) { (t), (void *)(uintptr_t)(v), sizeof(*(v)) }
#define AV(t, v, n) { (t), (void *)(uintptr_t)(v), (n) }

/* A template of kind k (data, AES, generic secret, EC private, EC public,
 * certificate), with the booleans of flags and a label byte. */
static CK_ULONG canned(unsigned k, unsigned flags, uint8_t *label, CK_ATTRIBUTE *t)
{
    static const CK_ATTRIBUTE_TYPE flag_types[] = { CKA_TOKEN, CKA_PRIVATE, CKA_SENSITIVE, CKA_EXTRACTABLE,
                                                    CKA_MODIFIABLE, CKA_COPYABLE, CKA_DESTROYABLE };
    CK_ULONG n = 0;
    switch (k % 6u) {
    case 0:
        t[n++] = (CK_ATTRIBUTE)AT(CKA_CLASS, &c_data);
        t[n++] = (CK_ATTRIBUTE)AV(CKA_VALUE, value32, 8);
        break;
    case 1:
        t[n++] = (CK_ATTRIBUTE)AT(CKA_CLASS, &c_sec);
        t[n++] = (CK_ATTRIBUTE)AT(CKA_KEY_TYPE, &k_aes);
        t[n++] = (CK_ATTRIBUTE)AV(CKA_VALUE, value32, 16);
        break;
    case 2:
        t[n++] = (CK_ATTRIBUTE)AT(CKA_CLASS, &c_sec);
        t[n++] = (CK_ATTRIBUTE)AT(CKA_KEY_TYPE, &k_gen);
        t[n++] = (CK_ATTRIBUTE)AV(CKA_VALUE, value32, 32);
        break;
    case 3:
        t[n++] = (CK_ATTRIBUTE)AT(CKA_CLASS, &c_priv);
        t[n++] = (CK_ATTRIBUTE)AT(CKA_KEY_TYPE, &k_ec);
        t[n++] = (CK_ATTRIBUTE)AV(CKA_EC_PARAMS, p256, sizeof(p256));
        t[n++] = (CK_ATTRIBUTE)AV(CKA_VALUE, fz_ec_d, 32);
        break;
    case 4:
        t[n++] = (CK_ATTRIBUTE)AT(CKA_CLASS, &c_pub);
        t[n++] = (CK_ATTRIBUTE)AT(CKA_KEY_TYPE, &k_ec);
        t[n++] = (CK_ATTRIBUTE)AV(CKA_EC_PARAMS, p256, sizeof(p256));
        t[n++] = (CK_ATTRIBUTE)AV(CKA_EC_POINT, point_der, sizeof(point_der));
        break;
    default:
        t[n++] = (CK_ATTRIBUTE)AT(CKA_CLASS, &c_cert);
        t[n++] = (CK_ATTRIBUTE)AT(CKA_CERTIFICATE_TYPE, &x509);
        t[n++] = (CK_ATTRIBUTE)AV(CKA_VALUE, cert_der, cert_len);
        break;
    }
    /* each boolean: bit set = given; the next bit its value */
    for (unsigned i = 0; i < sizeof(flag_types) / sizeof(flag_types[0]); i++) {
        if (flags & (1u << (2 * i))) {
            t[n++] = (CK_ATTRIBUTE)AV(flag_types[i], &bools[(flags >> (2 * i + 1)) & 1u], 1);
        }
    }
    t[n++] = (CK_ATTRIBUTE)AV(CKA_LABEL, label, 1);
    return n;
}

/* Mechanisms for operations. */
static uint8_t iv16[16] = { 5 }, gcm_iv[12] = { 6 }, aad[4] = { 7 };
static CK_AES_CTR_PARAMS ctr = { 128, { 0 } };
static CK_GCM_PARAMS gcm = { gcm_iv, 12, 96, aad, 4, 128 };
static CK_RSA_PKCS_PSS_PARAMS pss = { CKM_SHA256, CKG_MGF1_SHA256, 32 };
static CK_RSA_PKCS_OAEP_PARAMS oaep = { CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, NULL, 0 };
static const CK_MECHANISM op_mechs[] = {
    { CKM_AES_ECB, NULL, 0 },          { CKM_AES_CBC, iv16, 16 },
    { CKM_AES_CBC_PAD, iv16, 16 },     { CKM_AES_CTR, &ctr, sizeof(ctr) },
    { CKM_AES_GCM, &gcm, sizeof(gcm) }, { CKM_ECDSA, NULL, 0 },
    { CKM_ECDSA_SHA256, NULL, 0 },     { CKM_SHA256_HMAC, NULL, 0 },
    { CKM_AES_CMAC, NULL, 0 },         { CKM_SHA256, NULL, 0 },
    { CKM_RSA_PKCS, NULL, 0 },         { CKM_SHA256_RSA_PKCS, NULL, 0 },
    { CKM_RSA_PKCS_PSS, &pss, sizeof(pss) }, { CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep) },
    { CKM_SHA384_HMAC, NULL, 0 },      { CKM_SHA512, NULL, 0 },
};
#define OP_MECHS (sizeof(op_mechs) / sizeof(op_mechs[0]))

/* ------------------------------------------------------------------------
 * The calls
 * ---------------------------------------------------------------------- */

enum {
    OP_OPEN, OP_CLOSE, OP_CLOSE_ALL, OP_LOGIN, OP_LOGOUT, OP_INIT_TOKEN, OP_INIT_PIN, OP_SET_PIN,
    OP_CREATE, OP_CREATE_FUZZ, OP_COPY, OP_DESTROY, OP_GET, OP_SET, OP_FIND_INIT, OP_FIND, OP_FIND_FINAL,
    OP_INIT, OP_SINGLE, OP_UPDATE, OP_FINAL, OP_GENKEY, OP_PAIR, OP_WRAP, OP_UNWRAP, OP_DERIVE, OP_RANDOM,
    OP_INFO, OP_SIZE, OP_DIGEST_KEY, OP_NULL, OPS
};

enum { K_ENCRYPT, K_DECRYPT, K_SIGN, K_VERIFY, K_DIGEST, KINDS };

/* Output buffer of mode m for a call that may produce up to cap bytes:
 * 0 none (a length query), 1 one byte, 2 plenty. */
static uint8_t out_buf[8192];
static CK_BYTE_PTR out_for(unsigned m, CK_ULONG *len)
{
    switch (m % 3u) {
    case 0: *len = 0; return NULL;
    case 1: *len = 1; return out_buf;
    default: *len = sizeof(out_buf); return out_buf;
    }
}

/* A sensitive attribute read with C_GetAttributeValue from h. */
static void check_reads(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, const CK_ATTRIBUTE *a, CK_ULONG n, CK_RV rv)
{
    CK_ULONG cls = 0;
    CK_BBOOL sens = CK_FALSE, extr = CK_TRUE;
    CK_ATTRIBUTE q[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_SENSITIVE, &sens, 1 }, { CKA_EXTRACTABLE, &extr, 1 } };
    (void)C_GetAttributeValue(s, h, q, 3);
    int protect = (cls == CKO_PRIVATE_KEY || cls == CKO_SECRET_KEY) && (sens != CK_FALSE || extr == CK_FALSE);
    for (CK_ULONG i = 0; i < n; i++) {
        if (protect && fz_is_secret_attribute(a[i].type)) {
            FZ_CHECK(a[i].ulValueLen == CK_UNAVAILABLE_INFORMATION,
                     "attribute 0x%lx of a protected key read (0x%lx, length %lu)", (unsigned long)a[i].type,
                     (unsigned long)rv, (unsigned long)a[i].ulValueLen);
        }
    }
}

static void call(fz_in_t *in)
{
    static before_t b;
    snapshot(&b);
    CK_RV rv;
    unsigned op = fz_u8(in) % OPS;
    switch (op) {
    case OP_OPEN: {
        CK_SESSION_HANDLE h;
        CK_FLAGS f = (fz_u8(in) & 1u) ? CKF_SERIAL_SESSION | CKF_RW_SESSION : CKF_SERIAL_SESSION;
        rv = C_OpenSession(0, f, NULL, NULL, &h);
        after(&b, FZ_FN_OPEN_SESSION, rv, 1);
        if (rv == CKR_OK) {
            add_session(h, (f & CKF_RW_SESSION) != 0);
        }
        break;
    }
    case OP_CLOSE: {
        CK_SESSION_HANDLE h = pick_session(in);
        rv = C_CloseSession(h);
        after(&b, FZ_FN_CLOSE_SESSION, rv, 1);
        if (rv == CKR_OK) {
            closed(h);
            if (open_sessions(0) == 0) {
                st.login = TOK_NOBODY; /* the last one out logs out */
            }
        }
        break;
    }
    case OP_CLOSE_ALL:
        rv = C_CloseAllSessions(fz_u8(in) & 1u);
        after(&b, FZ_FN_CLOSE_ALL, rv, 1);
        if (rv == CKR_OK) {
            memset(st.open, 0, sizeof(st.open));
            st.login = TOK_NOBODY;
        }
        break;
    case OP_LOGIN: {
        CK_SESSION_HANDLE s = pick_session(in);
        static const CK_USER_TYPE users[] = { CKU_USER, CKU_SO, CKU_CONTEXT_SPECIFIC, 7 };
        CK_USER_TYPE u = users[fz_u8(in) % 4u];
        CK_UTF8CHAR_PTR p;
        CK_ULONG len;
        int pi = pick_pin(in, &p, &len);
        rv = C_Login(s, u, p, len);
        after(&b, FZ_FN_LOGIN, rv, 0);
        if (rv == CKR_OK) {
            FZ_CHECK(u == CKU_SO ? pi == st.so_pin : pi == st.user_pin, "a login with a wrong PIN worked");
            st.login = u;
        } else if (rv == CKR_PIN_INCORRECT) {
            FZ_CHECK(u == CKU_SO ? pi != st.so_pin : pi != st.user_pin, "the right PIN was refused");
        }
        break;
    }
    case OP_LOGOUT:
        rv = C_Logout(pick_session(in));
        after(&b, FZ_FN_LOGOUT, rv, 1);
        if (rv == CKR_OK) {
            st.login = TOK_NOBODY;
        }
        break;
    case OP_INIT_TOKEN: {
        CK_UTF8CHAR_PTR p;
        CK_ULONG len;
        CK_UTF8CHAR label[32];
        memset(label, 'a' + fz_u8(in) % 26u, sizeof(label));
        int pi = pick_pin(in, &p, &len);
        rv = C_InitToken(0, p, len, label);
        after(&b, FZ_FN_INIT_TOKEN, rv, 0);
        if (rv == CKR_OK) {
            FZ_CHECK(pi == st.so_pin, "C_InitToken with a wrong SO PIN worked");
            st.user_pin = -1;
            st.nmodel = 0;
            st.login = TOK_NOBODY;
        }
        break;
    }
    case OP_INIT_PIN: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_UTF8CHAR_PTR p;
        CK_ULONG len;
        int pi = pick_pin(in, &p, &len);
        rv = C_InitPIN(s, p, len);
        after(&b, FZ_FN_INIT_PIN, rv, 0);
        if (rv == CKR_OK) {
            st.user_pin = pi;
        }
        break;
    }
    case OP_SET_PIN: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_UTF8CHAR_PTR p, q;
        CK_ULONG len, qlen;
        int oi = pick_pin(in, &p, &len), ni = pick_pin(in, &q, &qlen);
        rv = C_SetPIN(s, p, len, q, qlen);
        after(&b, FZ_FN_SET_PIN, rv, 0);
        if (rv == CKR_OK) {
            int *which = st.login == CKU_SO ? &st.so_pin : &st.user_pin;
            FZ_CHECK(oi == *which, "C_SetPIN with a wrong old PIN worked");
            *which = ni;
        }
        break;
    }
    case OP_CREATE:
    case OP_CREATE_FUZZ: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_ATTRIBUTE t[16];
        uint8_t label = fz_u8(in);
        fz_tmpl_t ft;
        CK_ULONG n;
        CK_ATTRIBUTE *tp = t;
        memset(&ft, 0, sizeof(ft));
        if (op == OP_CREATE) {
            unsigned k = fz_u8(in);
            n = canned(k, fz_u16(in), &label, t);
        } else {
            fz_tmpl_read(in, &ft);
            tp = ft.a;
            n = ft.n;
        }
        CK_OBJECT_HANDLE h;
        rv = C_CreateObject(s, tp, n, &h);
        after(&b, FZ_FN_CREATE, rv, 0);
        if (rv == CKR_OK) {
            made(s, h);
        }
        fz_tmpl_free(&ft);
        break;
    }
    case OP_COPY: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_OBJECT_HANDLE o = pick_object(in), h;
        CK_ATTRIBUTE t[16];
        uint8_t label = fz_u8(in);
        CK_ULONG n = canned(0, fz_u16(in), &label, t);
        /* only the booleans and the label: the class cannot change */
        rv = C_CopyObject(s, o, t + 2, n - 2, &h);
        after(&b, FZ_FN_COPY, rv, 0);
        if (rv == CKR_OK) {
            made(s, h);
        }
        break;
    }
    case OP_DESTROY: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_OBJECT_HANDLE o = pick_object(in);
        int priv = 0, token = 0;
        uint64_t fp = fingerprint(s, o, &priv, &token);
        snapshot(&b);
        rv = C_DestroyObject(s, o);
        after(&b, FZ_FN_DESTROY, rv, 0);
        if (rv == CKR_OK && token) {
            model_remove(fp);
        }
        break;
    }
    case OP_GET: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_OBJECT_HANDLE o = pick_object(in);
        CK_ATTRIBUTE a[4];
        void *blocks[4];
        CK_ULONG n = 1 + fz_u8(in) % 4u;
        for (CK_ULONG i = 0; i < n; i++) {
            a[i].type = fz_types[fz_u8(in) % fz_type_count];
            unsigned m = fz_u8(in) % 4u;
            a[i].ulValueLen = m == 0 ? 0 : m == 1 ? 1 : m == 2 ? 8 : 600;
            blocks[i] = m == 0 ? NULL : calloc(1, a[i].ulValueLen);
            a[i].pValue = blocks[i];
        }
        rv = C_GetAttributeValue(s, o, a, n);
        after(&b, FZ_FN_GET_ATTR, rv, 1);
        check_reads(s, o, a, n, rv);
        for (CK_ULONG i = 0; i < n; i++) {
            free(blocks[i]);
        }
        break;
    }
    case OP_SET: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_OBJECT_HANDLE o = pick_object(in);
        fz_tmpl_t ft;
        fz_tmpl_read(in, &ft);
        int priv = 0, token = 0;
        uint64_t fp = fingerprint(s, o, &priv, &token);
        snapshot(&b);
        rv = C_SetAttributeValue(s, o, ft.a, ft.n);
        after(&b, FZ_FN_SET_ATTR, rv, 0);
        if (rv == CKR_OK) {
            if (token) {
                model_remove(fp);
            }
            made(s, o);
        }
        fz_tmpl_free(&ft);
        break;
    }
    case OP_FIND_INIT: {
        CK_SESSION_HANDLE s = pick_session(in);
        fz_tmpl_t ft;
        fz_tmpl_read(in, &ft);
        rv = C_FindObjectsInit(s, ft.a, ft.n);
        after(&b, FZ_FN_FIND_INIT, rv, 1);
        fz_tmpl_free(&ft);
        break;
    }
    case OP_FIND: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_OBJECT_HANDLE h[8];
        CK_ULONG max = fz_u8(in) % 9u, n = 0;
        rv = C_FindObjects(s, max > 0 ? h : NULL, max, &n);
        after(&b, FZ_FN_FIND, rv, 1);
        for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++) {
            CK_BBOOL priv = CK_FALSE;
            CK_ATTRIBUTE a = { CKA_PRIVATE, &priv, 1 };
            FZ_CHECK(C_GetAttributeValue(s, h[i], &a, 1) == CKR_OK, "a found object cannot be read");
            FZ_CHECK(priv == CK_FALSE || st.login == CKU_USER, "a private object found without the user");
            add_object(h[i]);
        }
        break;
    }
    case OP_FIND_FINAL:
        rv = C_FindObjectsFinal(pick_session(in));
        after(&b, FZ_FN_FIND_FINAL, rv, 1);
        break;
    case OP_INIT: {
        CK_SESSION_HANDLE s = pick_session(in);
        unsigned kind = fz_u8(in) % KINDS;
        CK_MECHANISM m = op_mechs[fz_u8(in) % OP_MECHS];
        CK_OBJECT_HANDLE o = pick_object(in);
        switch (kind) {
        case K_ENCRYPT: rv = C_EncryptInit(s, &m, o); break;
        case K_DECRYPT: rv = C_DecryptInit(s, &m, o); break;
        case K_SIGN: rv = C_SignInit(s, &m, o); break;
        case K_VERIFY: rv = C_VerifyInit(s, &m, o); break;
        default: rv = C_DigestInit(s, &m); break;
        }
        after(&b, kind == K_DIGEST ? FZ_FN_DIGEST_INIT : kind <= K_DECRYPT ? FZ_FN_CRYPT_INIT : FZ_FN_SIGN_INIT, rv, 1);
        break;
    }
    case OP_SINGLE:
    case OP_UPDATE: {
        CK_SESSION_HANDLE s = pick_session(in);
        unsigned kind = fz_u8(in) % KINDS;
        CK_ULONG in_len = fz_u16(in) % 600u, out_len;
        static uint8_t data[600];
        memset(data, 0x3a, sizeof(data));
        CK_BYTE_PTR out = out_for(fz_u8(in), &out_len);
        fz_fn_t fn;
        if (op == OP_SINGLE) {
            switch (kind) {
            case K_ENCRYPT: rv = C_Encrypt(s, data, in_len, out, &out_len); fn = FZ_FN_CRYPT; break;
            case K_DECRYPT: rv = C_Decrypt(s, data, in_len, out, &out_len); fn = FZ_FN_CRYPT; break;
            case K_SIGN: rv = C_Sign(s, data, in_len, out, &out_len); fn = FZ_FN_SIGN; break;
            case K_VERIFY: rv = C_Verify(s, data, in_len / 2, data, in_len - in_len / 2); fn = FZ_FN_VERIFY; break;
            default: rv = C_Digest(s, data, in_len, out, &out_len); fn = FZ_FN_DIGEST; break;
            }
        } else {
            switch (kind) {
            case K_ENCRYPT: rv = C_EncryptUpdate(s, data, in_len, out, &out_len); fn = FZ_FN_CRYPT_UPDATE; break;
            case K_DECRYPT: rv = C_DecryptUpdate(s, data, in_len, out, &out_len); fn = FZ_FN_CRYPT_UPDATE; break;
            case K_SIGN: rv = C_SignUpdate(s, data, in_len); fn = FZ_FN_SIGN_UPDATE; break;
            case K_VERIFY: rv = C_VerifyUpdate(s, data, in_len); fn = FZ_FN_SIGN_UPDATE; break;
            default: rv = C_DigestUpdate(s, data, in_len); fn = FZ_FN_DIGEST; break;
            }
        }
        after(&b, fn, rv, 1);
        break;
    }
    case OP_FINAL: {
        CK_SESSION_HANDLE s = pick_session(in);
        unsigned kind = fz_u8(in) % KINDS;
        CK_ULONG out_len;
        CK_BYTE_PTR out = out_for(fz_u8(in), &out_len);
        fz_fn_t fn = FZ_FN_CRYPT_FINAL;
        switch (kind) {
        case K_ENCRYPT: rv = C_EncryptFinal(s, out, &out_len); break;
        case K_DECRYPT: rv = C_DecryptFinal(s, out, &out_len); break;
        case K_SIGN: rv = C_SignFinal(s, out, &out_len); fn = FZ_FN_SIGN; break;
        case K_VERIFY: rv = C_VerifyFinal(s, out_buf, out_len); fn = FZ_FN_VERIFY; break;
        default: rv = C_DigestFinal(s, out, &out_len); fn = FZ_FN_DIGEST; break;
        }
        after(&b, fn, rv, 1);
        break;
    }
    case OP_GENKEY: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_MECHANISM m = { (fz_u8(in) & 1u) ? CKM_AES_KEY_GEN : CKM_GENERIC_SECRET_KEY_GEN, NULL, 0 };
        CK_ATTRIBUTE t[16];
        uint8_t label = fz_u8(in);
        CK_ULONG n = canned(0, fz_u16(in), &label, t);
        t[0] = (CK_ATTRIBUTE)AT(CKA_VALUE_LEN, m.mechanism == CKM_AES_KEY_GEN ? &len16 : &len32);
        t[1] = (CK_ATTRIBUTE)AT(CKA_SIGN, &bools[1]);
        CK_OBJECT_HANDLE h;
        rv = C_GenerateKey(s, &m, t, n, &h);
        after(&b, FZ_FN_GENERATE_KEY, rv, 0);
        if (rv == CKR_OK) {
            made(s, h);
        }
        break;
    }
    case OP_PAIR: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_MECHANISM m = { CKM_EC_KEY_PAIR_GEN, NULL, 0 };
        CK_ATTRIBUTE pub[16], priv[16];
        uint8_t l1 = fz_u8(in), l2 = fz_u8(in);
        unsigned f1 = fz_u16(in), f2 = fz_u16(in);
        CK_ULONG n1 = canned(0, f1 & 0x0f, &l1, pub), n2 = canned(0, f2, &l2, priv);
        pub[0] = (CK_ATTRIBUTE)AV(CKA_EC_PARAMS, p256, sizeof(p256));
        pub[1] = (CK_ATTRIBUTE)AT(CKA_VERIFY, &bools[1]);
        priv[0] = (CK_ATTRIBUTE)AT(CKA_SIGN, &bools[1]);
        priv[1] = (CK_ATTRIBUTE)AT(CKA_DERIVE, &bools[f2 >> 15]);
        CK_OBJECT_HANDLE h1, h2;
        rv = C_GenerateKeyPair(s, &m, pub, n1, priv, n2, &h1, &h2);
        after(&b, FZ_FN_GENERATE_PAIR, rv, 0);
        if (rv == CKR_OK) {
            made(s, h1);
            made(s, h2);
        }
        break;
    }
    case OP_WRAP: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_MECHANISM m = { (fz_u8(in) & 1u) ? CKM_AES_KEY_WRAP_PAD : CKM_AES_KEY_WRAP, NULL, 0 };
        CK_OBJECT_HANDLE w = pick_object(in), k = pick_object(in);
        CK_ULONG len;
        CK_BYTE_PTR out = out_for(fz_u8(in), &len);
        rv = C_WrapKey(s, &m, w, k, out, &len);
        after(&b, FZ_FN_WRAP, rv, 1);
        if (rv == CKR_OK && out != NULL && len <= sizeof(st.blob)) {
            memcpy(st.blob, out, len);
            st.blob_len = len;
        }
        break;
    }
    case OP_UNWRAP: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_MECHANISM m = { (fz_u8(in) & 1u) ? CKM_AES_KEY_WRAP_PAD : CKM_AES_KEY_WRAP, NULL, 0 };
        CK_OBJECT_HANDLE w = pick_object(in);
        CK_ATTRIBUTE t[16];
        uint8_t label = fz_u8(in);
        unsigned cls = fz_u8(in);
        CK_ULONG n = canned(0, fz_u16(in), &label, t);
        t[0] = (CK_ATTRIBUTE)AT(CKA_CLASS, (cls & 1u) ? &c_priv : &c_sec);
        t[1] = (CK_ATTRIBUTE)AT(CKA_KEY_TYPE, (cls & 2u) ? &k_gen : &k_aes);
        CK_ULONG skip = (cls & 1u) ? 1 : 0; /* a private key's type is the encoding's */
        if (skip) {
            t[1] = t[--n];
        }
        CK_OBJECT_HANDLE h;
        rv = C_UnwrapKey(s, &m, w, st.blob, st.blob_len, t, n, &h);
        after(&b, FZ_FN_UNWRAP, rv, 0);
        if (rv == CKR_OK) {
            made(s, h);
        }
        break;
    }
    case OP_DERIVE: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_OBJECT_HANDLE o = pick_object(in);
        CK_ECDH1_DERIVE_PARAMS p = { CKD_NULL, 0, NULL, sizeof(fz_peer_point), NULL };
        uint8_t peer[sizeof(fz_peer_point)];
        memcpy(peer, fz_peer_point, sizeof(peer));
        p.pPublicData = peer;
        CK_MECHANISM m = { CKM_ECDH1_DERIVE, &p, sizeof(p) };
        CK_ATTRIBUTE t[16];
        uint8_t label = fz_u8(in);
        CK_ULONG n = canned(1, fz_u16(in), &label, t);
        t[2] = (CK_ATTRIBUTE)AT(CKA_VALUE_LEN, &len16); /* in place of the value */
        CK_OBJECT_HANDLE h;
        rv = C_DeriveKey(s, &m, o, t, n, &h);
        after(&b, FZ_FN_DERIVE, rv, 0);
        if (rv == CKR_OK) {
            made(s, h);
        }
        break;
    }
    case OP_RANDOM: {
        CK_SESSION_HANDLE s = pick_session(in);
        CK_ULONG len = fz_u8(in);
        rv = (len & 1u) ? C_SeedRandom(s, out_buf, len) : C_GenerateRandom(s, out_buf, len);
        after(&b, FZ_FN_RANDOM, rv, 1);
        break;
    }
    case OP_INFO: {
        CK_SESSION_INFO si;
        CK_TOKEN_INFO ti;
        rv = C_GetSessionInfo(pick_session(in), &si);
        after(&b, FZ_FN_SESSION_INFO, rv, 1);
        if (rv == CKR_OK) {
            CK_STATE want = st.login == CKU_SO ? CKS_RW_SO_FUNCTIONS
                            : st.login == CKU_USER ? ((si.flags & CKF_RW_SESSION) ? CKS_RW_USER_FUNCTIONS
                                                                                   : CKS_RO_USER_FUNCTIONS)
                            : ((si.flags & CKF_RW_SESSION) ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION);
            FZ_CHECK(si.state == want, "session state %lu, the model says %lu", (unsigned long)si.state,
                     (unsigned long)want);
        }
        snapshot(&b);
        rv = C_GetTokenInfo(0, &ti);
        after(&b, FZ_FN_TOKEN_INFO, rv, 1);
        if (rv == CKR_OK) {
            FZ_CHECK((ti.flags & CKF_TOKEN_INITIALIZED) != 0, "the token says it is not initialised");
            FZ_CHECK(((ti.flags & CKF_USER_PIN_INITIALIZED) != 0) == (st.user_pin >= 0),
                     "CKF_USER_PIN_INITIALIZED is %d, the model says %d", (ti.flags & CKF_USER_PIN_INITIALIZED) != 0,
                     st.user_pin >= 0);
            FZ_CHECK(open_sessions(0) < 0 || (ti.ulSessionCount == (CK_ULONG)open_sessions(0) &&
                                              ti.ulRwSessionCount == (CK_ULONG)open_sessions(1)),
                     "%lu sessions (%lu read-write), the model says %ld (%ld)", (unsigned long)ti.ulSessionCount,
                     (unsigned long)ti.ulRwSessionCount, open_sessions(0), open_sessions(1));
        }
        break;
    }
    case OP_SIZE: {
        CK_ULONG size;
        CK_SESSION_HANDLE s = pick_session(in);
        rv = C_GetObjectSize(s, pick_object(in), &size);
        after(&b, FZ_FN_OBJECT_SIZE, rv, 1);
        break;
    }
    case OP_DIGEST_KEY: {
        CK_SESSION_HANDLE s = pick_session(in);
        rv = C_DigestKey(s, pick_object(in));
        after(&b, FZ_FN_DIGEST_KEY, rv, 1);
        break;
    }
    default: { /* OP_NULL: a pointer the call needs is NULL */
        CK_SESSION_HANDLE s = pick_session(in);
        CK_OBJECT_HANDLE o = pick_object(in), h;
        CK_ULONG n = 8;
        static CK_BYTE data[64];
        CK_ATTRIBUTE t = { CKA_LABEL, data, 1 };
        CK_MECHANISM kw = { CKM_AES_KEY_WRAP, NULL, 0 };
        fz_fn_t fn;
        switch (fz_u8(in) % 19u) {
        case 0: rv = C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, NULL); fn = FZ_FN_OPEN_SESSION; break;
        case 1: rv = C_CreateObject(s, NULL, 2, &h); fn = FZ_FN_CREATE; break;
        case 2: rv = C_CreateObject(s, &t, 1, NULL); fn = FZ_FN_CREATE; break;
        case 3: rv = C_GetObjectSize(s, o, NULL); fn = FZ_FN_OBJECT_SIZE; break;
        case 4: rv = C_FindObjects(s, NULL, 2, &n); fn = FZ_FN_FIND; break;
        case 5: rv = C_FindObjects(s, &h, 1, NULL); fn = FZ_FN_FIND; break;
        case 6: rv = C_GetSessionInfo(s, NULL); fn = FZ_FN_SESSION_INFO; break;
        case 7: rv = C_GetTokenInfo(0, NULL); fn = FZ_FN_TOKEN_INFO; break;
        case 8: rv = C_Login(s, CKU_USER, NULL, 4); fn = FZ_FN_LOGIN; break;
        case 9: rv = C_SetPIN(s, NULL, 4, NULL, 4); fn = FZ_FN_SET_PIN; break;
        case 10: rv = C_Sign(s, data, 4, data, NULL); fn = FZ_FN_SIGN; break;
        case 11: rv = C_Encrypt(s, NULL, 16, data, &n); fn = FZ_FN_CRYPT; break;
        case 12: rv = C_Verify(s, data, 4, NULL, 64); fn = FZ_FN_VERIFY; break;
        case 13: rv = C_DigestUpdate(s, NULL, 5); fn = FZ_FN_DIGEST; break;
        case 14: rv = C_GenerateRandom(s, NULL, 8); fn = FZ_FN_RANDOM; break;
        case 15: rv = C_WrapKey(s, &kw, o, o, data, NULL); fn = FZ_FN_WRAP; break;
        case 16: rv = C_SignInit(s, NULL, o); fn = FZ_FN_SIGN_INIT; break;
        case 17: rv = C_GetAttributeValue(s, o, NULL, 3); fn = FZ_FN_GET_ATTR; break;
        default: rv = C_FindObjectsInit(s, NULL, 3); fn = FZ_FN_FIND_INIT; break;
        }
        after(&b, fn, rv, 1);
        FZ_CHECK(rv != CKR_OK, "%s with a NULL pointer it needs worked", fz_fn_name(fn));
        break;
    }
    }
}

/* ------------------------------------------------------------------------
 * A run
 * ---------------------------------------------------------------------- */

static int cmp_entry(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    return x->fp < y->fp ? -1 : x->fp > y->fp;
}

/* Every token object a new mount shows, against the model. */
static void check_remount(void)
{
    FZ_CHECK(C_Finalize(NULL) == CKR_OK, "C_Finalize");
    nvt_fuzz_entropy_reset(9);
    FZ_CHECK(C_Initialize(NULL) == CKR_OK, "C_Initialize after the program");
    CK_SESSION_HANDLE s;
    CK_RV rv = C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s);
    FZ_CHECK(rv == CKR_OK, "no session after the program: 0x%lx", (unsigned long)rv);
    int user = 0;
    if (st.user_pin >= 0) {
        CK_UTF8CHAR_PTR p = (CK_UTF8CHAR_PTR)(uintptr_t)pins[st.user_pin];
        rv = C_Login(s, CKU_USER, p, (CK_ULONG)strlen(pins[st.user_pin]));
        FZ_CHECK(rv == CKR_OK || rv == CKR_PIN_LOCKED, "the user's PIN is refused after the program: 0x%lx",
                 (unsigned long)rv);
        user = rv == CKR_OK;
    }
    entry_t seen[MAX_MODEL], want[MAX_MODEL];
    unsigned nseen = 0, nwant = 0;
    CK_OBJECT_HANDLE h[64];
    CK_ULONG n = 0;
    FZ_CHECK(C_FindObjectsInit(s, NULL, 0) == CKR_OK, "find");
    do {
        FZ_CHECK(C_FindObjects(s, h, 64, &n) == CKR_OK, "find");
        for (CK_ULONG i = 0; i < n; i++) {
            int priv = 0, token = 0;
            FZ_CHECK(nseen < MAX_MODEL, "too many objects");
            seen[nseen].fp = fingerprint(s, h[i], &priv, &token);
            seen[nseen++].priv = priv;
        }
    } while (n > 0);
    FZ_CHECK(C_FindObjectsFinal(s) == CKR_OK, "find final");
    for (unsigned i = 0; i < st.nmodel; i++) {
        if (user || !st.model[i].priv) {
            want[nwant++] = st.model[i];
        }
    }
    qsort(seen, nseen, sizeof(seen[0]), cmp_entry);
    qsort(want, nwant, sizeof(want[0]), cmp_entry);
    FZ_CHECK(nseen == nwant, "after a new mount %u token objects are seen, %u were committed", nseen, nwant);
    for (unsigned i = 0; i < nseen; i++) {
        FZ_CHECK(seen[i].fp == want[i].fp, "after a new mount a token object differs from the one committed");
    }
    FZ_CHECK(C_Finalize(NULL) == CKR_OK, "C_Finalize");
    nvt_store_fsck_report_t rep;
    FZ_CHECK(fz_store_mount() == NVT_OK, "the store no longer mounts");
    FZ_CHECK(nvt_store_fsck(fz_store(), 0, &rep, NULL, NULL) == NVT_OK && rep.records_corrupt == 0 && rep.records_torn == 0 &&
                 rep.sectors_damaged == 0,
             "fsck: %u corrupt, %u torn, %u damaged", (unsigned)rep.records_corrupt, (unsigned)rep.records_torn,
             (unsigned)rep.sectors_damaged);
}

static void setup_once(void)
{
    static int done;
    if (done) {
        return;
    }
    done = 1;
    point_der[0] = 0x04;
    point_der[1] = 65;
    memcpy(point_der + 2, fz_ec_point, 65);
    cert_len = fz_make_cert(cert_der, 77, "api CA", "api device");
    /* the golden objects' entries */
    CK_SESSION_HANDLE s;
    fz_golden_reset(1, &s);
    for (unsigned i = 0; i < FZ_OBJS; i++) {
        int priv = 0, token = 0;
        golden_model[golden_n].fp = fingerprint(s, fz_obj[i], &priv, &token);
        golden_model[golden_n++].priv = priv;
    }
    FZ_CHECK(C_Finalize(NULL) == CKR_OK, "C_Finalize");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup_once();
    CK_SESSION_HANDLE s;
    fz_golden_reset(1, &s);
    memset(&st, 0, sizeof(st));
    st.so_pin = 0;
    st.user_pin = 1;
    st.login = CKU_USER;
    memcpy(st.model, golden_model, sizeof(golden_model));
    st.nmodel = golden_n;
    add_session(s, 1);
    for (unsigned i = 0; i < FZ_OBJS; i++) {
        add_object(fz_obj[i]);
    }
    fz_in_t in = { data, size };
    for (unsigned calls = 0; in.n > 0 && calls < MAX_CALLS; calls++) {
        call(&in);
    }
    check_remount();
    return 0;
}
