/* libFuzzer target: the token's decoding of a stored object (docs/FORMAT.md
 * "Token object"), as the token does it for every object it reads from a
 * store: the parse, then every attribute read (C_GetAttributeValue's five
 * cases), template matching (C_FindObjects), the key-material checks, and
 * the template rules applied to the decoded object as the base of
 * C_CopyObject, C_SetAttributeValue and C_DeriveKey.
 *
 * Input: length (2 bytes), the serialised object, then a template
 * (fuzz_token.h) used for matching and as the template of the rule checks.
 *
 * Checks beyond "no crash, no leak, no undefined behaviour":
 * - every attribute read answers one of its allowed codes with consistent
 *   lengths (a length query, the exact buffer, one byte short);
 * - a private or secret key that reads CKA_SENSITIVE true or
 *   CKA_EXTRACTABLE false never gives the value of a secret attribute;
 * - a template of every attribute read matches the object, the same
 *   template with one value changed does not;
 * - the template engine's result of a successful copy, set or derive
 *   parses, keeps the class and key type, keeps every attribute the
 *   template did not give, and honours the one-way attributes (sensitive
 *   stays sensitive, unextractable stays unextractable, CKA_LOCAL,
 *   CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE never gained). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_token.h"
#include "nvt_crypto.h"
#include "tok_attr.h"
#include "tok_mech.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define OUT_CAP NVT_CONFIG_TOKEN_OBJECT_MAX

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    nvt_fuzz_entropy_reset(3);
    FZ_CHECK(nvt_crypto_init() == NVT_OK, "nvt_crypto_init");
    return 0;
}

/* One attribute as C_GetAttributeValue gives it (value in a heap block). */
typedef struct got {
    CK_RV rv;
    CK_ATTRIBUTE a;
} got_t;

static void get_one(const tok_obj_t *o, CK_ATTRIBUTE_TYPE type, got_t *g)
{
    CK_ATTRIBUTE q = { type, NULL, 0 };
    g->rv = tok_obj_get(o, &q);
    g->a.type = type;
    g->a.pValue = NULL;
    g->a.ulValueLen = q.ulValueLen;
    FZ_CHECK(fz_rv_allowed(FZ_FN_GET_ATTR, g->rv) && g->rv != CKR_BUFFER_TOO_SMALL, "get 0x%lx: 0x%lx",
             (unsigned long)type, (unsigned long)g->rv);
    if (g->rv != CKR_OK) {
        FZ_CHECK(q.ulValueLen == CK_UNAVAILABLE_INFORMATION, "get 0x%lx: 0x%lx with a length", (unsigned long)type,
                 (unsigned long)g->rv);
        return;
    }
    FZ_CHECK(q.ulValueLen <= 2 * o->len + sizeof(CK_ULONG), "get 0x%lx: length %lu of a %zu-byte object",
             (unsigned long)type, (unsigned long)q.ulValueLen, o->len);
    CK_ULONG len = q.ulValueLen;
    g->a.pValue = calloc(1, len > 0 ? len : 1);
    q.pValue = g->a.pValue;
    FZ_CHECK(tok_obj_get(o, &q) == CKR_OK && q.ulValueLen == len, "get 0x%lx: exact buffer", (unsigned long)type);
    if (fz_is_attribute_array(type)) {
        /* an attribute array: its elements' lengths came, now their values */
        CK_ATTRIBUTE *e = g->a.pValue;
        for (CK_ULONG i = 0; i < len / sizeof(CK_ATTRIBUTE); i++) {
            FZ_CHECK(e[i].ulValueLen < (1u << 20), "get 0x%lx: element of %lu bytes", (unsigned long)type,
                     (unsigned long)e[i].ulValueLen);
            e[i].pValue = calloc(1, e[i].ulValueLen > 0 ? e[i].ulValueLen : 1);
        }
        FZ_CHECK(tok_obj_get(o, &q) == CKR_OK && q.ulValueLen == len, "get 0x%lx: the elements' values",
                 (unsigned long)type);
    }
    if (len > 0) {
        uint8_t *short_buf = malloc(len - 1);
        CK_ATTRIBUTE s = { type, short_buf, len - 1 };
        FZ_CHECK(tok_obj_get(o, &s) == CKR_BUFFER_TOO_SMALL && s.ulValueLen == CK_UNAVAILABLE_INFORMATION,
                 "get 0x%lx: short buffer", (unsigned long)type);
        free(short_buf);
    }
}

static void free_got(got_t *g)
{
    if (g->rv == CKR_OK && fz_is_attribute_array(g->a.type) && g->a.pValue != NULL) {
        CK_ATTRIBUTE *e = g->a.pValue;
        for (CK_ULONG i = 0; i < g->a.ulValueLen / sizeof(CK_ATTRIBUTE); i++) {
            free(e[i].pValue);
        }
    }
    free(g->a.pValue);
}

static int get_bool(const got_t *all, CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < fz_type_count; i++) {
        if (all[i].a.type == type && all[i].rv == CKR_OK && all[i].a.ulValueLen == sizeof(CK_BBOOL)) {
            return *(CK_BBOOL *)all[i].a.pValue != CK_FALSE;
        }
    }
    return -1;
}

static int in_template(const fz_tmpl_t *t, CK_ATTRIBUTE_TYPE type)
{
    for (CK_ULONG i = 0; i < t->n; i++) {
        if (t->a[i].type == type) {
            return 1;
        }
    }
    return 0;
}

/* The boolean attributes: the header's bits (docs/FORMAT.md). */
static int is_bool_type(CK_ATTRIBUTE_TYPE type)
{
    static const CK_ATTRIBUTE_TYPE bools[] = {
        CKA_TOKEN, CKA_PRIVATE, CKA_MODIFIABLE, CKA_COPYABLE, CKA_DESTROYABLE, CKA_TRUSTED, CKA_SENSITIVE,
        CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP, CKA_SIGN, CKA_SIGN_RECOVER, CKA_VERIFY,
        CKA_VERIFY_RECOVER, CKA_DERIVE, CKA_EXTRACTABLE, CKA_LOCAL, CKA_NEVER_EXTRACTABLE, CKA_ALWAYS_SENSITIVE,
        CKA_ALWAYS_AUTHENTICATE, CKA_WRAP_WITH_TRUSTED,
    };
    for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++) {
        if (bools[i] == type) {
            return 1;
        }
    }
    return 0;
}

/* Whether the stored object has its own value for type (a boolean's bit,
 * an entry), as opposed to reading as a default. */
static int stored(const tok_obj_t *o, CK_ATTRIBUTE_TYPE type)
{
    const uint8_t *v;
    size_t n;
    if (is_bool_type(type)) {
        return tok_obj_bool(o, type, CK_TRUE) == tok_obj_bool(o, type, CK_FALSE);
    }
    return type != CKA_CLASS && tok_obj_value(o, type, &v, &n);
}

static const CK_RV build_rvs[] = {
    CKR_OK, CKR_TEMPLATE_INCOMPLETE, CKR_TEMPLATE_INCONSISTENT, CKR_ATTRIBUTE_TYPE_INVALID,
    CKR_ATTRIBUTE_VALUE_INVALID, CKR_ATTRIBUTE_READ_ONLY, CKR_ARGUMENTS_BAD, CKR_DEVICE_MEMORY,
};

static void check_build_rv(CK_RV rv, const char *mode)
{
    for (size_t i = 0; i < sizeof(build_rvs) / sizeof(build_rvs[0]); i++) {
        if (rv == build_rvs[i]) {
            return;
        }
    }
    fz_fail("tok_obj_build(%s): 0x%lx", mode, (unsigned long)rv);
}

/* The rules of C_CopyObject / C_SetAttributeValue on the decoded object. */
static void check_modify(const tok_obj_t *base, const got_t *base_got, const fz_tmpl_t *t, tok_build_mode_t mode,
                         uint8_t *out)
{
    const char *name = mode == TOK_BUILD_COPY ? "copy" : "set";
    tok_build_t b;
    memset(&b, 0, sizeof(b));
    b.mode = mode;
    b.tmpl = t->a;
    b.tmpl_n = t->n;
    b.base = base;
    b.gen = base->gen;
    b.uid = base->uid ^ 1u;
    size_t len = 0;
    CK_RV rv = tok_obj_build(&b, out, OUT_CAP, &len);
    check_build_rv(rv, name);
    if (rv != CKR_OK) {
        return;
    }
    tok_obj_t made;
    FZ_CHECK(tok_obj_parse(&made, out, len) == CKR_OK, "%s: the result does not parse", name);
    FZ_CHECK(made.cls == base->cls && made.sub == base->sub, "%s: class or type changed", name);
    int key = tok_obj_is_secret_class(base);
    for (size_t i = 0; i < fz_type_count; i++) {
        CK_ATTRIBUTE_TYPE type = fz_types[i];
        const got_t *was = &base_got[i];
        got_t now;
        get_one(&made, type, &now);
        int b_was = was->rv == CKR_OK && was->a.ulValueLen == sizeof(CK_BBOOL) && *(CK_BBOOL *)was->a.pValue;
        int b_now = now.rv == CKR_OK && now.a.ulValueLen == sizeof(CK_BBOOL) && *(CK_BBOOL *)now.a.pValue;
        if (key && type == CKA_SENSITIVE && b_was) {
            FZ_CHECK(b_now, "%s: a sensitive key became non-sensitive", name);
        }
        if (key && type == CKA_EXTRACTABLE && was->rv == CKR_OK && !b_was) {
            FZ_CHECK(!b_now, "%s: an unextractable key became extractable", name);
        }
        if (type == CKA_LOCAL || type == CKA_ALWAYS_SENSITIVE || type == CKA_NEVER_EXTRACTABLE) {
            FZ_CHECK(!(b_now && !b_was), "%s: attribute 0x%lx gained", name, (unsigned long)type);
        }
        if (type == CKA_TRUSTED) {
            FZ_CHECK(!(b_now && !b_was), "%s: CKA_TRUSTED set without the SO", name);
        }
        /* What the template did not give stays as it was, readable or not
         * (values the token computes from others excepted). */
        if (!in_template(t, type) && type != CKA_VALUE_LEN && type != CKA_MODULUS_BITS &&
            (was->rv == CKR_OK || was->rv == CKR_ATTRIBUTE_SENSITIVE) && stored(base, type)) {
            const uint8_t *v0, *v1;
            size_t n0, n1;
            if (is_bool_type(type)) {
                FZ_CHECK(tok_obj_bool(&made, type, CK_FALSE) == tok_obj_bool(base, type, CK_FALSE),
                         "%s: boolean 0x%lx not in the template changed", name, (unsigned long)type);
            } else {
                FZ_CHECK(tok_obj_value(base, type, &v0, &n0) && tok_obj_value(&made, type, &v1, &n1) && n0 == n1 &&
                             (n0 == 0 || memcmp(v0, v1, n0) == 0),
                         "%s: attribute 0x%lx not in the template changed", name, (unsigned long)type);
            }
        }
        free_got(&now);
    }
}

/* The rules of C_DeriveKey with the decoded object as the base key: what
 * the new key may claim about its history. */
static void check_derive(const tok_obj_t *base, const got_t *base_got, const fz_tmpl_t *t, uint8_t *out)
{
    static const uint8_t value[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
    CK_ATTRIBUTE made = { CKA_VALUE, (void *)(uintptr_t)value, sizeof(value) };
    tok_build_t b;
    memset(&b, 0, sizeof(b));
    b.mode = TOK_BUILD_DERIVE;
    b.tmpl = t->a;
    b.tmpl_n = t->n;
    b.base = base;
    b.made = &made;
    b.made_n = 1;
    b.cls = CKO_SECRET_KEY;
    b.sub = CK_UNAVAILABLE_INFORMATION;
    b.mech = CKM_ECDH1_DERIVE;
    size_t len = 0;
    CK_RV rv = tok_obj_build(&b, out, OUT_CAP, &len);
    check_build_rv(rv, "derive");
    if (rv != CKR_OK) {
        return;
    }
    tok_obj_t k;
    FZ_CHECK(tok_obj_parse(&k, out, len) == CKR_OK, "derive: the result does not parse");
    FZ_CHECK(k.cls == CKO_SECRET_KEY, "derive: not a secret key");
    int base_as = get_bool(base_got, CKA_ALWAYS_SENSITIVE) == 1;
    int base_ne = get_bool(base_got, CKA_NEVER_EXTRACTABLE) == 1;
    FZ_CHECK(tok_obj_bool(&k, CKA_LOCAL, CK_FALSE) == CK_FALSE, "derive: CKA_LOCAL");
    FZ_CHECK(!tok_obj_bool(&k, CKA_ALWAYS_SENSITIVE, CK_FALSE) ||
                 (base_as && tok_obj_bool(&k, CKA_SENSITIVE, CK_FALSE)),
             "derive: CKA_ALWAYS_SENSITIVE from a base that was not");
    FZ_CHECK(!tok_obj_bool(&k, CKA_NEVER_EXTRACTABLE, CK_FALSE) ||
                 (base_ne && !tok_obj_bool(&k, CKA_EXTRACTABLE, CK_TRUE)),
             "derive: CKA_NEVER_EXTRACTABLE from a base that was not");
    const uint8_t *v;
    size_t n;
    FZ_CHECK(tok_obj_value(&k, CKA_VALUE, &v, &n) && n == sizeof(value), "derive: not the value derived");
}

/* C_CreateObject's rules: nothing made from outside claims a history. */
static void check_create(const fz_tmpl_t *t, uint8_t *out)
{
    tok_build_t b;
    memset(&b, 0, sizeof(b));
    b.mode = TOK_BUILD_CREATE;
    b.tmpl = t->a;
    b.tmpl_n = t->n;
    b.gen = 7;
    b.uid = 9;
    size_t len = 0;
    CK_RV rv = tok_obj_build(&b, out, OUT_CAP, &len);
    check_build_rv(rv, "create");
    if (rv != CKR_OK) {
        return;
    }
    tok_obj_t o;
    FZ_CHECK(tok_obj_parse(&o, out, len) == CKR_OK, "create: the result does not parse");
    FZ_CHECK(!tok_obj_bool(&o, CKA_LOCAL, CK_FALSE) && !tok_obj_bool(&o, CKA_ALWAYS_SENSITIVE, CK_FALSE) &&
                 !tok_obj_bool(&o, CKA_NEVER_EXTRACTABLE, CK_FALSE),
             "create: the object claims CKA_LOCAL, CKA_ALWAYS_SENSITIVE or CKA_NEVER_EXTRACTABLE");
    FZ_CHECK(!tok_obj_bool(&o, CKA_TRUSTED, CK_FALSE), "create: CKA_TRUSTED without the SO");
    CK_RV kr = tok_mech_check_key(&o);
    FZ_CHECK(kr == CKR_OK || kr == CKR_CURVE_NOT_SUPPORTED || kr == CKR_ATTRIBUTE_VALUE_INVALID,
             "create: tok_mech_check_key 0x%lx", (unsigned long)kr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t in = { data, size };
    size_t len;
    const uint8_t *src = fz_bytes(&in, fz_u16(&in), &len);
    uint8_t *bytes = malloc(len); /* exactly the object: a read past it is reported */
    if (len > 0) {
        memcpy(bytes, src, len);
    }
    fz_tmpl_t t;
    fz_tmpl_read(&in, &t);
    uint8_t *out = malloc(OUT_CAP);
    tok_obj_t o;
    if (tok_obj_parse(&o, bytes, len) != CKR_OK) {
        (void)tok_obj_parse_header(&o, bytes, len);
        check_create(&t, out);
        goto done;
    }

    /* Every attribute read. */
    got_t *all = calloc(fz_type_count, sizeof(*all));
    for (size_t i = 0; i < fz_type_count; i++) {
        get_one(&o, fz_types[i], &all[i]);
    }
    int secret_key = o.cls == CKO_PRIVATE_KEY || o.cls == CKO_SECRET_KEY;
    int protect = secret_key && (get_bool(all, CKA_SENSITIVE) == 1 || get_bool(all, CKA_EXTRACTABLE) == 0);
    for (size_t i = 0; i < fz_type_count; i++) {
        if (protect && fz_is_secret_attribute(fz_types[i])) {
            FZ_CHECK(all[i].rv != CKR_OK, "secret attribute 0x%lx of a protected key is readable",
                     (unsigned long)fz_types[i]);
        }
    }

    /* Matching: everything read matches; one value changed does not; the
     * input's template runs too. */
    CK_ATTRIBUTE *m = calloc(fz_type_count, sizeof(*m));
    CK_ULONG mn = 0;
    for (size_t i = 0; i < fz_type_count; i++) {
        if (all[i].rv == CKR_OK) {
            m[mn++] = all[i].a;
        }
    }
    FZ_CHECK(tok_obj_match(&o, m, mn) == 1, "the object does not match its own attributes");
    FZ_CHECK(tok_obj_match(&o, NULL, 0) == 1, "the empty template does not match");
    for (CK_ULONG i = 0; i < mn; i++) {
        if (m[i].ulValueLen > 0 && m[i].type != CKA_CLASS && !fz_is_attribute_array(m[i].type)) {
            uint8_t *v = m[i].pValue;
            v[0] ^= 1;
            FZ_CHECK(tok_obj_match(&o, m, mn) == 0, "a changed value of 0x%lx still matches", (unsigned long)m[i].type);
            v[0] ^= 1;
            break;
        }
    }
    if (protect) {
        static const uint8_t guess[1] = { 0 };
        CK_ATTRIBUTE probe = { CKA_VALUE, (void *)(uintptr_t)guess, 0 };
        FZ_CHECK(tok_obj_match(&o, &probe, 1) == 0, "a secret attribute of a protected key is matched");
    }
    (void)tok_obj_match(&o, t.a, t.n);
    free(m);

    /* Key material, as the mechanisms load it. */
    nvt_crypto_key_material_t km;
    (void)tok_key_material(&o, &km);
    CK_RV kr = tok_mech_check_key(&o);
    FZ_CHECK(kr == CKR_OK || kr == CKR_CURVE_NOT_SUPPORTED || kr == CKR_ATTRIBUTE_VALUE_INVALID,
             "tok_mech_check_key 0x%lx", (unsigned long)kr);

    /* Template rules with the object as the base. */
    check_modify(&o, all, &t, TOK_BUILD_COPY, out);
    check_modify(&o, all, &t, TOK_BUILD_SET, out);
    check_derive(&o, all, &t, out);
    check_create(&t, out);

    for (size_t i = 0; i < fz_type_count; i++) {
        free_got(&all[i]);
    }
    free(all);
done:
    free(out);
    fz_tmpl_free(&t);
    free(bytes);
    return 0;
}
