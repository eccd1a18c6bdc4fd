/* The key cache: keys loaded into PSA, kept between operations.
 *
 * An entry is (slot, object handle, use) -> a volatile PSA key loaded for
 * that use (its PSA policy: nvt_crypto_use_t), the key's size, and a view
 * of the object: its 24-byte header (class, CKA_PRIVATE, CKA_SIGN and the
 * other booleans), CKA_KEY_TYPE and CKA_ALLOWED_MECHANISMS - everything the
 * operation engine checks before it starts an operation. With a hit,
 * C_SignInit neither reads the store nor parses the key: the engine checks
 * the view, the mechanism takes the PSA key.
 *
 * Entries are found by handle, which the token never reuses while the
 * process runs, and forgotten (their PSA keys destroyed) whenever what
 * they were made from may change: the object destroyed or modified, the
 * private objects' handles replaced at logout, the slot's objects read
 * again from the store (another process changed it, C_InitToken), and
 * C_Finalize. When the cache is full the least recently used entry goes.
 *
 * An active operation pins the entry it uses (tok_key_release() unpins),
 * so eviction never pulls a key from under it: a forgotten pinned entry
 * no longer matches lookups, and its PSA key is destroyed when the last
 * operation lets go. With every entry pinned, a key is loaded for the
 * operation alone.
 * Secret material is only ever in PSA and, for the moment it is loaded,
 * in the object's working buffer (wiped at the end of every call). */
#include "tok_internal.h"

#include <string.h>

/* A view: header, CKA_KEY_TYPE and up to this many allowed mechanisms. */
#define KC_VIEW_MECHS 16u
#define KC_VIEW_MAX (TOK_OBJ_HEADER + TOK_ATTR_HEADER + 4u + TOK_ATTR_HEADER + 4u * KC_VIEW_MECHS)

typedef struct tok_kc_entry {
    CK_OBJECT_HANDLE handle; /* 0: free, or forgotten while pinned */
    unsigned slot;
    uint16_t pins;         /* operations using the key */
    uint8_t use;  /* nvt_crypto_use_t */
    uint8_t priv; /* CKA_PRIVATE: forgotten at logout */
    uint16_t view_len; /* 0: no view (allowed mechanisms too long) */
    uint32_t last;     /* use stamp, for eviction */
    size_t bits;
    nvt_crypto_key_t key;
    uint8_t view[KC_VIEW_MAX];
} tok_kc_entry_t;

static tok_kc_entry_t kc[NVT_CONFIG_TOKEN_KEY_CACHE];
static uint32_t kc_clock;

static void entry_forget(tok_kc_entry_t *e)
{
    if (e->pins > 0) {
        e->handle = 0; /* no more lookups; the key goes with the last pin */
        e->view_len = 0;
        return;
    }
    nvt_crypto_key_unload(e->key);
    memset(e, 0, sizeof(*e));
}

void tok_kc_forget(unsigned slot, CK_OBJECT_HANDLE h)
{
    for (size_t i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE; i++) {
        if (kc[i].handle == h && kc[i].slot == slot && h != 0) {
            entry_forget(&kc[i]);
        }
    }
}

void tok_key_release(tok_loaded_t *l)
{
    if (l->key == 0) {
        return;
    }
    if (l->entry == 0) {
        nvt_crypto_key_unload(l->key); /* loaded for one operation */
    } else {
        tok_kc_entry_t *e = &kc[l->entry - 1];
        if (e->pins > 0 && e->key == l->key && --e->pins == 0 && e->handle == 0) {
            entry_forget(e);
        }
    }
    memset(l, 0, sizeof(*l));
}

void tok_kc_forget_slot(unsigned slot, int private_only)
{
    for (size_t i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE; i++) {
        if (kc[i].handle != 0 && kc[i].slot == slot && (!private_only || kc[i].priv)) {
            entry_forget(&kc[i]);
        }
    }
}

void tok_kc_forget_all(void)
{
    for (size_t i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE; i++) {
        kc[i].pins = 0; /* the library is closing: no operation survives */
        if (kc[i].key != 0) {
            entry_forget(&kc[i]);
        }
    }
    kc_clock = 0;
}

size_t tok_kc_count(void)
{
    size_t n = 0;
    for (size_t i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE; i++) {
        n += kc[i].key != 0;
    }
    return n;
}

int tok_kc_view(unsigned slot, CK_OBJECT_HANDLE h, tok_obj_t *o)
{
    for (size_t i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE; i++) {
        if (kc[i].handle == h && kc[i].slot == slot && h != 0 && kc[i].view_len > 0) {
            return tok_obj_parse(o, kc[i].view, kc[i].view_len) == CKR_OK;
        }
    }
    return 0;
}

/* The view of o: header with the entry count fixed, then CKA_KEY_TYPE and
 * CKA_ALLOWED_MECHANISMS (increasing types, as the format wants). */
static uint16_t make_view(const tok_obj_t *o, uint8_t *out)
{
    static const CK_ATTRIBUTE_TYPE kept[] = { CKA_KEY_TYPE, CKA_ALLOWED_MECHANISMS };
    size_t off = TOK_OBJ_HEADER;
    unsigned count = 0;
    memcpy(out, o->p, TOK_OBJ_HEADER);
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        const uint8_t *v;
        size_t n;
        if (!tok_obj_value(o, kept[i], &v, &n)) {
            continue;
        }
        if (n > KC_VIEW_MAX - off - TOK_ATTR_HEADER) {
            return 0;
        }
        tok_put32(out + off, (uint32_t)kept[i]);
        tok_put32(out + off + 4, (uint32_t)n);
        memcpy(out + off + TOK_ATTR_HEADER, v, n);
        off += TOK_ATTR_HEADER + n;
        count++;
    }
    out[2] = (uint8_t)count;
    out[3] = 0;
    return (uint16_t)off;
}

/* ------------------------------------------------------------------------
 * Key material from an object
 * ---------------------------------------------------------------------- */

static nvt_crypto_span_t value(const tok_obj_t *o, CK_ATTRIBUTE_TYPE type)
{
    nvt_crypto_span_t s = { NULL, 0 };
    if (!tok_obj_value(o, type, &s.p, &s.len)) {
        s.p = NULL;
        s.len = 0;
    }
    return s;
}

CK_RV tok_ec_point(const uint8_t *p, size_t len, nvt_crypto_curve_t curve, nvt_crypto_span_t *point)
{
    size_t n = 2 * nvt_crypto_curve_bytes(curve) + 1;
    if (n == 1 || p == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    /* A DER OCTET STRING (the specification's form: its length in one byte
     * below 128, else 0x81 and one byte - P-521's 133), or the bare point
     * some clients send. */
    size_t head = n < 128 ? 2 : 3;
    if (len == n + head && p[0] == 0x04 && (n < 128 || p[1] == 0x81) && p[head - 1] == n && p[head] == 0x04) {
        point->p = p + head;
        point->len = n;
        return CKR_OK;
    }
    if (len == n && p[0] == 0x04) {
        point->p = p;
        point->len = n;
        return CKR_OK;
    }
    return CKR_ARGUMENTS_BAD;
}

const CK_ATTRIBUTE_TYPE tok_rsa_parts[NVT_CRYPTO_RSA_PARTS] = {
    CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT, CKA_PRIME_1,
    CKA_PRIME_2, CKA_EXPONENT_1, CKA_EXPONENT_2, CKA_COEFFICIENT,
};

CK_RV tok_key_material(const tok_obj_t *o, nvt_crypto_key_material_t *m)
{
    memset(m, 0, sizeof(*m));
    switch (o->sub) {
    case CKK_AES:
#if NVT_CONFIG_MECH_LEGACY
    case CKK_DES3:
#endif
    case CKK_GENERIC_SECRET:
        if (o->cls != CKO_SECRET_KEY) {
            return CKR_KEY_TYPE_INCONSISTENT;
        }
        m->type = o->sub == CKK_AES    ? NVT_CRYPTO_KEY_AES
                  : o->sub == CKK_DES3 ? NVT_CRYPTO_KEY_DES3
                                       : NVT_CRYPTO_KEY_HMAC;
        m->v[0] = value(o, CKA_VALUE);
        return m->v[0].len > 0 ? CKR_OK : CKR_KEY_TYPE_INCONSISTENT;
    case CKK_EC: {
        nvt_crypto_span_t params = value(o, CKA_EC_PARAMS);
        m->curve = nvt_crypto_curve_from_oid(params.p, params.len);
        if (m->curve == NVT_CRYPTO_CURVE_NONE) {
            return CKR_CURVE_NOT_SUPPORTED;
        }
        if (o->cls == CKO_PRIVATE_KEY) {
            m->type = NVT_CRYPTO_KEY_EC_PAIR;
            m->v[0] = value(o, CKA_VALUE);
            return m->v[0].len > 0 ? CKR_OK : CKR_KEY_TYPE_INCONSISTENT;
        }
        m->type = NVT_CRYPTO_KEY_EC_PUBLIC;
        nvt_crypto_span_t point = value(o, CKA_EC_POINT);
        return tok_ec_point(point.p, point.len, m->curve, &m->v[0]) == CKR_OK ? CKR_OK
                                                                               : CKR_KEY_TYPE_INCONSISTENT;
    }
    case CKK_RSA:
        m->type = o->cls == CKO_PRIVATE_KEY ? NVT_CRYPTO_KEY_RSA_PAIR : NVT_CRYPTO_KEY_RSA_PUBLIC;
        for (size_t i = 0; i < (o->cls == CKO_PRIVATE_KEY ? NVT_CRYPTO_RSA_PARTS : 2u); i++) {
            m->v[i] = value(o, tok_rsa_parts[i]);
        }
        return m->v[0].len > 0 && m->v[1].len > 0 ? CKR_OK : CKR_KEY_TYPE_INCONSISTENT;
    default:
        return CKR_KEY_TYPE_INCONSISTENT;
    }
}

/* ------------------------------------------------------------------------
 * Getting a key
 * ---------------------------------------------------------------------- */

/* An entry to fill: a free one, else the least recently used unpinned one
 * (forgotten); NULL if every entry is pinned. */
static tok_kc_entry_t *entry_claim(void)
{
    tok_kc_entry_t *oldest = NULL;
    for (size_t i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE; i++) {
        if (kc[i].pins > 0) {
            continue;
        }
        if (kc[i].handle == 0) {
            return &kc[i];
        }
        if (oldest == NULL || kc[i].last - kc_clock < oldest->last - kc_clock) {
            oldest = &kc[i]; /* the stamp furthest behind the clock */
        }
    }
    if (oldest != NULL) {
        entry_forget(oldest);
    }
    return oldest;
}

CK_RV tok_key_load(const tok_key_t *key, nvt_crypto_use_t use, tok_loaded_t *out)
{
    const tok_ref_t *ref = key->ref;
    if (ref == NULL) {
        return CKR_GENERAL_ERROR;
    }
    unsigned slot = (unsigned)(ref->slot - tok.slots);
    for (size_t i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE; i++) {
        tok_kc_entry_t *e = &kc[i];
        if (e->handle == key->handle && e->slot == slot && e->use == (uint8_t)use && key->handle != 0 &&
            e->pins < UINT16_MAX) {
            e->last = ++kc_clock;
            e->pins++;
            out->key = e->key;
            out->bits = e->bits;
            out->entry = (uint16_t)(i + 1);
            return CKR_OK;
        }
    }
    /* A miss: the whole object is needed (a view holds no key). */
    tok_obj_t full;
    const tok_obj_t *o = key->obj;
    if (key->view) {
        CK_RV rv = tok_object_load(ref, 0, &full);
        if (rv != CKR_OK) {
            return rv;
        }
        o = &full;
    }
    nvt_crypto_key_material_t m;
    CK_RV rv = tok_key_material(o, &m);
    if (rv != CKR_OK) {
        return rv;
    }
    nvt_crypto_key_t k = 0;
    size_t bits = 0;
    int err = nvt_crypto_key_load(&m, use, &k, &bits);
    nvt_crypto_zeroize(&m, sizeof(m));
    if (err != NVT_OK) {
        return err == NVT_E_INVALID || err == NVT_E_UNSUPPORTED ? CKR_KEY_TYPE_INCONSISTENT : tok_rv(err);
    }
    out->key = k;
    out->bits = bits;
    out->entry = 0;
    tok_kc_entry_t *e = entry_claim();
    if (e == NULL) {
        return CKR_OK; /* every entry in use: this key is the operation's own */
    }
    e->pins = 1;
    e->handle = key->handle;
    e->slot = slot;
    e->use = (uint8_t)use;
    /* Forgotten at logout: private objects' keys, and every key lent out
     * (a loan needs a login, whatever the object's CKA_PRIVATE). */
    e->priv = tok_obj_bool(o, CKA_PRIVATE, CK_TRUE) != CK_FALSE || nvt_crypto_use_is_lent(use);
    e->bits = bits;
    e->key = k;
    e->last = ++kc_clock;
    e->view_len = make_view(o, e->view);
    out->entry = (uint16_t)(e - kc + 1);
    return CKR_OK;
}

CK_RV tok_key_object(const tok_key_t *key, tok_obj_t *full, const tok_obj_t **o)
{
    if (!key->view) {
        *o = key->obj;
        return CKR_OK;
    }
    CK_RV rv = key->ref != NULL ? tok_object_load(key->ref, 0, full) : CKR_GENERAL_ERROR;
    *o = full;
    return rv;
}
