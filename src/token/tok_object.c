/* Objects: the slot's table of token objects (store records), the fixed
 * pool of session objects, handles, and C_CreateObject, C_CopyObject,
 * C_DestroyObject, C_GetObjectSize, C_Get/SetAttributeValue and
 * C_FindObjects*.
 *
 * Every change of a token object is one store operation (put or delete),
 * which the store makes atomic: a power cut leaves the object as it was
 * or as it became. The RAM table is updated only after the store said
 * yes. */
#include "tok_internal.h"

#include <string.h>
#if NVT_CONFIG_TOKEN_HEAP
#include <stdlib.h>
#endif
#if defined(NVT_TOKEN_HOST_IMAGES)
#include "nvtoken/port.h"
#endif

#if !NVT_CONFIG_TOKEN_HEAP
static tok_tobj_t tok_tobj_pool[NVT_CONFIG_TOKEN_SLOTS][NVT_CONFIG_TOKEN_MAX_OBJECTS];
#endif

/* ------------------------------------------------------------------------
 * The token object table
 * ---------------------------------------------------------------------- */

/* Room for n entries. */
static int table_reserve(tok_slot_t *s, size_t n)
{
#if NVT_CONFIG_TOKEN_HEAP
    if (n <= s->cap) {
        return 1;
    }
    size_t cap = s->cap > 0 ? s->cap : NVT_CONFIG_TOKEN_MAX_OBJECTS;
    while (cap < n) {
        cap *= 2;
    }
    tok_tobj_t *p = realloc(s->objs, cap * sizeof(*p));
    if (p == NULL) {
        return 0;
    }
    s->objs = p;
    s->cap = cap;
    return 1;
#else
    s->objs = tok_tobj_pool[s - tok.slots];
    s->cap = NVT_CONFIG_TOKEN_MAX_OBJECTS;
    return n <= s->cap;
#endif
}

#if NVT_CONFIG_TOKEN_HEAP
/* A cached private or secret key lives, on the host, in memory that core
 * dumps leave out (the port's secret memory); other objects on the heap. */
#if defined(NVT_TOKEN_HOST_IMAGES)
static int blob_secret(const uint8_t *blob, size_t len)
{
    tok_obj_t o;
    return tok_obj_parse_header(&o, blob, len) == CKR_OK && tok_obj_is_secret_class(&o);
}
#endif

static uint8_t *blob_alloc(const uint8_t *blob, size_t len)
{
#if defined(NVT_TOKEN_HOST_IMAGES)
    if (blob_secret(blob, len)) {
        return nvt_port_secret_alloc(len);
    }
#else
    (void)blob;
#endif
    return malloc(len);
}

static void blob_free(uint8_t *blob, size_t len)
{
#if defined(NVT_TOKEN_HOST_IMAGES)
    if (blob_secret(blob, len)) {
        nvt_port_secret_free(blob, len); /* wipes it */
        return;
    }
#endif
    nvt_crypto_zeroize(blob, len);
    free(blob);
}
#endif

static void entry_release(tok_tobj_t *e)
{
#if NVT_CONFIG_TOKEN_HEAP
    if (e->blob != NULL) {
        blob_free(e->blob, e->len);
    }
    e->blob = NULL;
    e->len = 0;
#else
    (void)e;
#endif
}

/* Cache a copy of the serialised object (host). */
static CK_RV entry_cache(tok_tobj_t *e, const uint8_t *blob, size_t len)
{
#if NVT_CONFIG_TOKEN_HEAP
    uint8_t *copy = blob_alloc(blob, len);
    if (copy == NULL) {
        return CKR_HOST_MEMORY;
    }
    memcpy(copy, blob, len);
    entry_release(e);
    e->blob = copy;
    e->len = len;
#else
    (void)e;
    (void)blob;
    (void)len;
#endif
    return CKR_OK;
}

static void entry_remove(tok_slot_t *s, size_t i)
{
    tok_kc_forget((unsigned)(s - tok.slots), s->objs[i].handle);
    tok_searches_forget((unsigned)(s - tok.slots), s->objs[i].handle);
    entry_release(&s->objs[i]);
    memmove(&s->objs[i], &s->objs[i + 1], (s->nobjs - i - 1) * sizeof(s->objs[0]));
    s->nobjs--;
}

void tok_objects_drop(tok_slot_t *s)
{
    tok_kc_forget_slot((unsigned)(s - tok.slots), 0);
    for (size_t i = 0; i < s->nobjs; i++) {
        tok_searches_forget((unsigned)(s - tok.slots), s->objs[i].handle);
        entry_release(&s->objs[i]);
    }
#if NVT_CONFIG_TOKEN_HEAP
    free(s->objs);
    s->objs = NULL;
    s->cap = 0;
#endif
    s->nobjs = 0;
}

static tok_tobj_t *entry_by_id(tok_slot_t *s, nvt_store_id_t id)
{
    for (size_t i = 0; i < s->nobjs; i++) {
        if (s->objs[i].id == id) {
            return &s->objs[i];
        }
    }
    return NULL;
}

/* Read object id whole (opened, if sealed) and parse it: on the host for
 * the cache, on the target because a sealed object must be read whole to
 * be opened (and the store reads it whole for its CRC anyway). Objects
 * that fail a check are counted in the slot's diagnostics and reported as
 * CKR_DEVICE_ERROR: never used, never deleted. A key in the clear in a
 * sealed token is parsed but *refused: one of an earlier token is stale
 * like any other (a C_InitToken cut short while migrating), one of this
 * token's generation the token never wrote. */
static CK_RV scan_read(tok_slot_t *s, nvt_store_id_t id, tok_obj_t *o, size_t *len, int *refused)
{
    int sealed = 0;
    int err = tok_seal_get(s, id, tok.buf[TOK_BUF_READ], sizeof(tok.buf[TOK_BUF_READ]), len, &sealed);
    tok.buf_used[TOK_BUF_READ] = sizeof(tok.buf[TOK_BUF_READ]);
    if (err == NVT_E_CORRUPT || err == NVT_E_VERIFY) {
        s->diag.corrupt += err == NVT_E_CORRUPT;
        s->diag.tampered += err == NVT_E_VERIFY;
        return CKR_DEVICE_ERROR;
    }
    if (err != NVT_OK) {
        /* larger than any object the token makes: not one of ours */
        return err == NVT_E_BUFFER_TOO_SMALL ? CKR_DEVICE_ERROR : tok_rv(err);
    }
#if NVT_CONFIG_TOKEN_HEAP
    CK_RV rv = tok_obj_parse(o, tok.buf[TOK_BUF_READ], *len);
#else
    CK_RV rv = tok_obj_parse_header(o, tok.buf[TOK_BUF_READ], *len);
#endif
    *refused = rv == CKR_OK && !sealed && tok_obj_is_secret_class(o) && !tok_seal_plain_ok(s);
    return rv;
}

CK_RV tok_objects_scan(tok_slot_t *s)
{
    nvt_store_t *st = s->cfg->store;
    nvt_store_id_t id = NVT_STORE_ID_NONE, max_id = 0;
    CK_RV rv = CKR_OK;
    /* Objects may keep their handles but not their contents: the keys made
     * from them are loaded again when next used. */
    tok_kc_forget_slot((unsigned)(s - tok.slots), 0);
    for (size_t i = 0; i < s->nobjs; i++) {
        s->objs[i].seen = 0;
    }
    rv = tok_pair_recover(s);
    while (rv == CKR_OK && nvt_store_next(st, id, &id) == NVT_OK) {
        if (id < NVT_TOKEN_ID_FIRST_OBJECT) {
            continue;
        }
        tok_obj_t o;
        size_t len = 0;
        int refused = 0;
        rv = scan_read(s, id, &o, &len, &refused);
        if (rv == CKR_DEVICE_ERROR) {
            rv = CKR_OK; /* not an object of ours, or corrupt: leave it alone, never use it */
            continue;
        }
        if (rv != CKR_OK) {
            break;
        }
        if (!s->initialized || o.gen != s->rec.gen) {
            /* An object of an earlier token (C_InitToken cut short). */
            rv = tok_store_delete(s, id);
            continue;
        }
        if (refused) {
            s->diag.refused++;
            continue;
        }
        max_id = id > max_id ? id : max_id;
        tok_tobj_t *e = entry_by_id(s, id);
        if (e == NULL || e->uid != o.uid) {
            if (e == NULL) {
                if (!table_reserve(s, s->nobjs + 1)) {
                    continue; /* no room (target table): invisible */
                }
                e = &s->objs[s->nobjs++];
                memset(e, 0, sizeof(*e));
                e->id = id;
            } else {
                tok_searches_forget((unsigned)(s - tok.slots), e->handle); /* another object now */
            }
            e->handle = tok_new_object_handle();
            e->uid = o.uid;
        }
        e->priv = tok_obj_bool(&o, CKA_PRIVATE, CK_TRUE) != CK_FALSE;
        e->seen = 1;
        rv = entry_cache(e, o.p, len);
    }
    for (size_t i = s->nobjs; i-- > 0;) {
        if (!s->objs[i].seen) {
            entry_remove(s, i);
        }
    }
    s->next_id = (nvt_store_id_t)(max_id >= NVT_TOKEN_ID_FIRST_OBJECT ? max_id + 1 : NVT_TOKEN_ID_FIRST_OBJECT);
    return rv;
}

CK_RV tok_object_alloc_id(tok_slot_t *s, nvt_store_id_t *out)
{
    nvt_store_id_t id = s->next_id;
    for (unsigned tries = 0; tries < 0x10000u; tries++, id++) {
        size_t len;
        unsigned flags;
        if (id < NVT_TOKEN_ID_FIRST_OBJECT || id == NVT_STORE_ID_NONE) {
            id = NVT_TOKEN_ID_FIRST_OBJECT;
        }
        if (entry_by_id(s, id) == NULL && !tok_pair_reserves(s, id) && nvt_store_size(s->cfg->store, id, &len, &flags) == NVT_E_NOT_FOUND) {
            *out = id;
            s->next_id = (nvt_store_id_t)(id + 1);
            return CKR_OK;
        }
    }
    return CKR_DEVICE_MEMORY;
}

/* ------------------------------------------------------------------------
 * Session objects: one fixed pool, objects packed from its start (none
 * when the profile has NVT_CONFIG_TOKEN_SESSION_OBJECTS 0)
 * ---------------------------------------------------------------------- */

#if NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0

static CK_RV sobj_add(unsigned slot, CK_SESSION_HANDLE hs, const uint8_t *blob, size_t len, int priv,
                      CK_OBJECT_HANDLE h)
{
    if (tok.nsobjs >= NVT_CONFIG_TOKEN_SESSION_OBJECTS || len > sizeof(tok.arena) - tok.arena_used) {
        return CKR_DEVICE_MEMORY;
    }
    tok_sobj_t *e = &tok.sobjs[tok.nsobjs++];
    e->handle = h;
    e->session = hs;
    e->slot = slot;
    e->priv = (uint8_t)priv;
    e->off = tok.arena_used;
    e->len = len;
    memcpy(tok.arena + e->off, blob, len);
    tok.arena_used += len;
    return CKR_OK;
}

static void sobj_remove(size_t i)
{
    tok_sobj_t e = tok.sobjs[i];
    tok_kc_forget(e.slot, e.handle);
    tok_searches_forget(e.slot, e.handle);
    memmove(tok.arena + e.off, tok.arena + e.off + e.len, tok.arena_used - e.off - e.len);
    tok.arena_used -= e.len;
    nvt_crypto_zeroize(tok.arena + tok.arena_used, e.len);
    memmove(&tok.sobjs[i], &tok.sobjs[i + 1], (tok.nsobjs - i - 1) * sizeof(tok.sobjs[0]));
    tok.nsobjs--;
    for (unsigned j = 0; j < tok.nsobjs; j++) {
        if (tok.sobjs[j].off > e.off) {
            tok.sobjs[j].off -= e.len;
        }
    }
}

void tok_sobj_purge(CK_SESSION_HANDLE hs, unsigned slot, int private_only)
{
    for (size_t i = tok.nsobjs; i-- > 0;) {
        const tok_sobj_t *e = &tok.sobjs[i];
        if (e->slot == slot && (hs == 0 || e->session == hs) && (!private_only || e->priv)) {
            sobj_remove(i);
        }
    }
}
#else
void tok_sobj_purge(CK_SESSION_HANDLE hs, unsigned slot, int private_only)
{
    (void)hs; /* no session objects in this profile */
    (void)slot;
    (void)private_only;
}
#endif

/* ------------------------------------------------------------------------
 * Handles, access, loading
 * ---------------------------------------------------------------------- */

CK_RV tok_object_ref(const tok_session_t *sess, CK_OBJECT_HANDLE h, tok_ref_t *ref)
{
    tok_slot_t *s = &tok.slots[sess->slot];
    int user = s->login == CKU_USER;
    if (h != CK_INVALID_HANDLE) {
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0
        for (size_t i = 0; i < tok.nsobjs; i++) {
            if (tok.sobjs[i].handle == h && tok.sobjs[i].slot == sess->slot && (user || !tok.sobjs[i].priv)) {
                ref->slot = s;
                ref->token = 0;
                ref->index = i;
                return CKR_OK;
            }
        }
#endif
        for (size_t i = 0; i < s->nobjs; i++) {
            if (s->objs[i].handle == h && (user || !s->objs[i].priv)) {
                ref->slot = s;
                ref->token = 1;
                ref->index = i;
                return CKR_OK;
            }
        }
    }
    return CKR_OBJECT_HANDLE_INVALID;
}

CK_RV tok_object_load(const tok_ref_t *ref, int buf, tok_obj_t *o)
{
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0
    if (!ref->token) {
        const tok_sobj_t *e = &tok.sobjs[ref->index];
        return tok_obj_parse(o, tok.arena + e->off, e->len);
    }
#endif
    const tok_tobj_t *e = &ref->slot->objs[ref->index];
#if NVT_CONFIG_TOKEN_HEAP
    (void)buf;
    return tok_obj_parse(o, e->blob, e->len);
#else
    size_t len = 0;
    int sealed = 0;
    int err = tok_seal_get(ref->slot, e->id, tok.buf[buf], sizeof(tok.buf[buf]), &len, &sealed);
    tok.buf_used[buf] = sizeof(tok.buf[buf]);
    if (err != NVT_OK) {
        return err == NVT_E_BUFFER_TOO_SMALL ? CKR_DEVICE_MEMORY
               : err == NVT_E_VERIFY         ? CKR_DEVICE_ERROR
                                             : tok_rv(err);
    }
    return tok_obj_parse(o, tok.buf[buf], len);
#endif
}

CK_RV tok_may_write(const tok_session_t *sess, int token, int priv)
{
    if (token && (sess->flags & CKF_RW_SESSION) == 0) {
        return CKR_SESSION_READ_ONLY;
    }
    if (priv && tok.slots[sess->slot].login != CKU_USER) {
        return CKR_USER_NOT_LOGGED_IN;
    }
    return CKR_OK;
}

/* Store the object parsed from working buffer \p buf as token object id:
 * its class decides scrubbing and sealing (sealed in place in the buffer,
 * which holds the plaintext again afterwards). */
static CK_RV put_token_object(tok_slot_t *s, nvt_store_id_t id, const tok_obj_t *o, int buf)
{
    if (o->p != tok.buf[buf]) {
        return CKR_GENERAL_ERROR; /* a bug: the object must be at the buffer's start */
    }
    return tok_seal_put(s, id, tok.buf[buf], o->len, sizeof(tok.buf[buf]),
                        tok_obj_is_secret_class(o) ? NVT_STORE_SENSITIVE : 0);
}

/* Store the object built in working buffer \p buf (object_build checked it). */
static CK_RV object_add(tok_session_t *sess, int buf, size_t len, CK_OBJECT_HANDLE *h)
{
    tok_slot_t *s = &tok.slots[sess->slot];
    tok_obj_t o;
    CK_RV rv = tok_obj_parse(&o, tok.buf[buf], len);
    if (rv != CKR_OK) {
        return CKR_GENERAL_ERROR; /* we just built it */
    }
    int token = tok_obj_bool(&o, CKA_TOKEN, CK_FALSE) != CK_FALSE;
    int priv = tok_obj_bool(&o, CKA_PRIVATE, CK_TRUE) != CK_FALSE;
    CK_OBJECT_HANDLE handle = tok_new_object_handle();
    if (!token) {
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0
        rv = sobj_add(sess->slot, sess->handle, o.p, o.len, priv, handle);
#else
        rv = CKR_GENERAL_ERROR; /* object_build refused it */
#endif
    } else {
        nvt_store_id_t id = 0;
        if (!table_reserve(s, s->nobjs + 1)) {
            return CKR_DEVICE_MEMORY;
        }
        rv = tok_pair_armed(s) ? tok_pair_take_id(s, &id) : tok_object_alloc_id(s, &id);
        if (rv == CKR_OK) {
            rv = put_token_object(s, id, &o, buf);
        }
        if (rv == CKR_OK) {
            tok_tobj_t *e = &s->objs[s->nobjs];
            memset(e, 0, sizeof(*e));
            e->handle = handle;
            e->uid = o.uid;
            e->id = id;
            e->priv = (uint8_t)priv;
            rv = entry_cache(e, o.p, o.len);
            if (rv == CKR_OK) {
                s->nobjs++;
            } else {
                (void)tok_store_delete(s, id); /* keep RAM and store in step */
            }
        }
    }
    if (rv == CKR_OK) {
        *h = handle;
    }
    return rv;
}

/* Enter the session's slot. */
static CK_RV enter(CK_SESSION_HANDLE hs, tok_session_t **sess, tok_slot_t **s)
{
    CK_RV rv = tok_session_get(hs, sess, s);
    return rv == CKR_OK ? tok_slot_enter(*s) : rv;
}

/* A unique id for a new object. */
static CK_RV new_uid(uint32_t *uid)
{
    return tok_rv(nvt_crypto_random(uid, sizeof(*uid)));
}

/* Build the object into working buffer 1 and check it: key material from
 * outside by its mechanism, and whether the session may store it. */
static CK_RV object_build(tok_session_t *sess, tok_build_t *b, size_t *len)
{
    tok_slot_t *s = &tok.slots[sess->slot];
    b->so = s->login == CKU_SO;
    b->gen = s->rec.gen;
    CK_RV rv = new_uid(&b->uid);
    if (rv == CKR_OK) {
        rv = tok_obj_build(b, tok.buf[TOK_BUF_BUILD], NVT_CONFIG_TOKEN_OBJECT_MAX, len);
        tok.buf_used[TOK_BUF_BUILD] = rv == CKR_OK ? *len : sizeof(tok.buf[TOK_BUF_BUILD]);
    }
    tok_obj_t made;
    if (rv == CKR_OK) {
        rv = tok_obj_parse(&made, tok.buf[TOK_BUF_BUILD], *len);
    }
    if (rv == CKR_OK && (b->mode == TOK_BUILD_CREATE || b->mode == TOK_BUILD_UNWRAP || b->mode == TOK_BUILD_DERIVE)) {
        /* Key material from outside: the mechanisms check it (curve,
         * point, sizes) before it is stored. */
        rv = tok_mech_check_key(&made);
    }
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS == 0
    /* No session objects in this profile: CKA_TOKEN false is a value the
     * token does not take; left out, the template lacks CKA_TOKEN true. */
    CK_BBOOL asked = CK_FALSE;
    if (rv == CKR_OK && tok_obj_bool(&made, CKA_TOKEN, CK_FALSE) == CK_FALSE) {
        rv = tok_tmpl_bool(b->tmpl, b->tmpl_n, CKA_TOKEN, &asked) != 0 ? CKR_ATTRIBUTE_VALUE_INVALID
                                                                       : CKR_TEMPLATE_INCOMPLETE;
    }
#endif
    if (rv == CKR_OK) {
        rv = tok_may_write(sess, tok_obj_bool(&made, CKA_TOKEN, CK_FALSE) != CK_FALSE,
                           tok_obj_bool(&made, CKA_PRIVATE, CK_TRUE) != CK_FALSE);
    }
    return rv;
}

CK_RV tok_object_make(tok_session_t *sess, tok_build_t *b, CK_OBJECT_HANDLE *h)
{
    size_t len = 0;
    CK_RV rv = object_build(sess, b, &len);
    if (rv == CKR_OK) {
        rv = object_add(sess, TOK_BUF_BUILD, len, h);
    }
    return rv;
}

CK_RV tok_object_check(tok_session_t *sess, tok_build_t *b)
{
    size_t len = 0;
    return object_build(sess, b, &len);
}

/* Enter, resolve and load the object into working buffer 0. */
static CK_RV enter_object(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho, tok_session_t **sess, tok_slot_t **s,
                          tok_ref_t *ref, tok_obj_t *o)
{
    CK_RV rv = enter(hs, sess, s);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = tok_object_ref(*sess, ho, ref);
    if (rv == CKR_OK) {
        rv = tok_object_load(ref, 0, o);
    }
    return rv == CKR_OK ? CKR_OK : tok_slot_leave(*s, rv);
}

/* ------------------------------------------------------------------------
 * C_CreateObject, C_CopyObject, C_DestroyObject
 * ---------------------------------------------------------------------- */

CK_RV nvt_token_create_object(CK_SESSION_HANDLE hs, const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_OBJECT_HANDLE *ho)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = enter(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    tok_build_t b;
    memset(&b, 0, sizeof(b));
    b.mode = TOK_BUILD_CREATE;
    b.tmpl = tmpl;
    b.tmpl_n = n;
    rv = tok_object_make(sess, &b, ho);
    return tok_slot_leave(s, rv);
}

#if NVT_CONFIG_TOKEN_COPY
CK_RV nvt_token_copy_object(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                            CK_OBJECT_HANDLE *hnew)
{
    tok_session_t *sess;
    tok_slot_t *s;
    tok_ref_t ref;
    tok_obj_t src;
    CK_RV rv = enter_object(hs, ho, &sess, &s, &ref, &src);
    if (rv != CKR_OK) {
        return rv;
    }
    if (tok_obj_bool(&src, CKA_COPYABLE, CK_TRUE) == CK_FALSE) {
        rv = CKR_ACTION_PROHIBITED;
    } else {
        tok_build_t b;
        memset(&b, 0, sizeof(b));
        b.mode = TOK_BUILD_COPY;
        b.tmpl = tmpl;
        b.tmpl_n = n;
        b.base = &src;
        rv = tok_object_make(sess, &b, hnew);
    }
    return tok_slot_leave(s, rv);
}
#endif

CK_RV nvt_token_destroy_object(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho)
{
    tok_session_t *sess;
    tok_slot_t *s;
    tok_ref_t ref;
    tok_obj_t o;
    CK_RV rv = enter_object(hs, ho, &sess, &s, &ref, &o);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = tok_may_write(sess, ref.token, tok_obj_bool(&o, CKA_PRIVATE, CK_TRUE) != CK_FALSE);
    if (rv == CKR_OK && tok_obj_bool(&o, CKA_DESTROYABLE, CK_TRUE) == CK_FALSE) {
        rv = CKR_ACTION_PROHIBITED;
    }
    if (rv == CKR_OK) {
        rv = tok_object_discard(sess, ho);
    }
    return tok_slot_leave(s, rv);
}

CK_RV tok_object_discard(tok_session_t *sess, CK_OBJECT_HANDLE h)
{
    tok_ref_t ref;
    CK_RV rv = tok_object_ref(sess, h, &ref);
    if (rv != CKR_OK) {
        return rv;
    }
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0
    if (!ref.token) {
        sobj_remove(ref.index);
        return CKR_OK;
    }
#endif
    rv = tok_store_delete(ref.slot, ref.slot->objs[ref.index].id);
    if (rv == CKR_OK) {
        entry_remove(ref.slot, ref.index);
    }
    return rv;
}

/* ------------------------------------------------------------------------
 * C_GetObjectSize, C_GetAttributeValue, C_SetAttributeValue
 * ---------------------------------------------------------------------- */

CK_RV nvt_token_object_size(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho, CK_ULONG *size)
{
    tok_session_t *sess;
    tok_slot_t *s;
    tok_ref_t ref;
    tok_obj_t o;
    CK_RV rv = enter_object(hs, ho, &sess, &s, &ref, &o);
    if (rv != CKR_OK) {
        return rv;
    }
    *size = o.len;
    return tok_slot_leave(s, CKR_OK);
}

CK_RV nvt_token_get_attributes(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho, CK_ATTRIBUTE *tmpl, CK_ULONG n)
{
    tok_session_t *sess;
    tok_slot_t *s;
    tok_ref_t ref;
    tok_obj_t o;
    CK_RV rv = enter_object(hs, ho, &sess, &s, &ref, &o);
    if (rv != CKR_OK) {
        return rv;
    }
    /* Every attribute is answered; the first problem is the result. */
    for (CK_ULONG i = 0; i < n; i++) {
        CK_RV one = tok_obj_get(&o, &tmpl[i]);
        if (rv == CKR_OK) {
            rv = one;
        }
    }
    return tok_slot_leave(s, rv);
}

#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE
CK_RV nvt_token_set_attributes(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho, const CK_ATTRIBUTE *tmpl, CK_ULONG n)
{
    tok_session_t *sess;
    tok_slot_t *s;
    tok_ref_t ref;
    tok_obj_t o;
    CK_RV rv = enter_object(hs, ho, &sess, &s, &ref, &o);
    if (rv != CKR_OK) {
        return rv;
    }
    int priv = tok_obj_bool(&o, CKA_PRIVATE, CK_TRUE) != CK_FALSE;
    rv = tok_may_write(sess, ref.token, priv);
    if (rv == CKR_OK && tok_obj_bool(&o, CKA_MODIFIABLE, CK_TRUE) == CK_FALSE) {
        rv = CKR_ACTION_PROHIBITED;
    }
    size_t len = 0;
    if (rv == CKR_OK) {
        tok_build_t b;
        memset(&b, 0, sizeof(b));
        b.mode = TOK_BUILD_SET;
        b.tmpl = tmpl;
        b.tmpl_n = n;
        b.base = &o;
        b.so = s->login == CKU_SO;
        b.gen = o.gen;
        b.uid = o.uid;
        rv = tok_obj_build(&b, tok.buf[TOK_BUF_BUILD], NVT_CONFIG_TOKEN_OBJECT_MAX, &len);
        tok.buf_used[TOK_BUF_BUILD] = rv == CKR_OK ? len : sizeof(tok.buf[TOK_BUF_BUILD]);
    }
    tok_obj_t changed;
    if (rv == CKR_OK) {
        rv = tok_obj_parse(&changed, tok.buf[TOK_BUF_BUILD], len);
    }
    if (rv == CKR_OK && ref.token) {
        tok_tobj_t *e = &s->objs[ref.index];
        tok_kc_forget(sess->slot, e->handle); /* its keys follow the new attributes */
        rv = put_token_object(s, e->id, &changed, 1);
        if (rv == CKR_OK) {
            rv = entry_cache(e, changed.p, changed.len);
        }
    }
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0
    else if (rv == CKR_OK) {
        /* The new version takes the room of the old: refused before the
         * old goes if even that is not enough. */
        tok_sobj_t e = tok.sobjs[ref.index];
        if (changed.len > sizeof(tok.arena) - tok.arena_used + e.len) {
            rv = CKR_DEVICE_MEMORY;
        } else {
            sobj_remove(ref.index);
            rv = sobj_add(e.slot, e.session, changed.p, changed.len, e.priv, e.handle);
        }
    }
#endif
    return tok_slot_leave(s, rv);
}
#endif

/* ------------------------------------------------------------------------
 * C_FindObjectsInit, C_FindObjects, C_FindObjectsFinal
 * ---------------------------------------------------------------------- */

static CK_RV find_push(tok_find_t *f, CK_OBJECT_HANDLE h)
{
    if (f->n == f->cap) {
#if NVT_CONFIG_TOKEN_HEAP
        size_t cap = f->cap > 0 ? f->cap * 2 : 64;
        CK_OBJECT_HANDLE *p = realloc(f->h, cap * sizeof(*p));
        if (p == NULL) {
            return CKR_HOST_MEMORY;
        }
        f->h = p;
        f->cap = cap;
#else
        return CKR_DEVICE_MEMORY; /* cannot happen: sized for every object */
#endif
    }
    f->h[f->n++] = h;
    return CKR_OK;
}

void tok_find_end(tok_session_t *sess)
{
    tok_find_t *f = &sess->find;
#if NVT_CONFIG_TOKEN_HEAP
    free(f->h);
#endif
    f->h = NULL;
    f->active = 0;
    f->n = f->pos = f->cap = 0;
}

void tok_searches_forget(unsigned slot, CK_OBJECT_HANDLE h)
{
    for (unsigned i = 0; i < NVT_CONFIG_TOKEN_MAX_SESSIONS; i++) {
        tok_session_t *sess = &tok.sessions[i];
        tok_find_t *f = &sess->find;
        if (sess->handle == 0 || sess->slot != slot || !f->active) {
            continue;
        }
        size_t kept = f->pos;
        for (size_t j = f->pos; j < f->n; j++) {
            if (f->h[j] != h) {
                f->h[kept++] = f->h[j];
            }
        }
        f->n = kept;
    }
}

CK_RV nvt_token_find_init(CK_SESSION_HANDLE hs, const CK_ATTRIBUTE *tmpl, CK_ULONG n)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (sess->find.active) {
        return CKR_OPERATION_ACTIVE;
    }
    rv = tok_slot_enter(s);
    if (rv != CKR_OK) {
        return rv;
    }
    tok_find_t *f = &sess->find;
    f->active = 1;
    f->n = f->pos = 0;
#if !NVT_CONFIG_TOKEN_HEAP
    f->h = f->buf;
    f->cap = TOK_FIND_STATIC;
#endif
    int user = s->login == CKU_USER;
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0
    for (size_t i = 0; i < tok.nsobjs && rv == CKR_OK; i++) {
        const tok_sobj_t *e = &tok.sobjs[i];
        tok_obj_t o;
        if (e->slot == sess->slot && (user || !e->priv) &&
            tok_obj_parse(&o, tok.arena + e->off, e->len) == CKR_OK && tok_obj_match(&o, tmpl, n)) {
            rv = find_push(f, e->handle);
        }
    }
#endif
    for (size_t i = 0; i < s->nobjs && rv == CKR_OK; i++) {
        if (!user && s->objs[i].priv) {
            continue;
        }
        tok_ref_t ref = { s, 1, i };
        tok_obj_t o;
        if (tok_object_load(&ref, TOK_BUF_READ, &o) == CKR_OK && tok_obj_match(&o, tmpl, n)) {
            rv = find_push(f, s->objs[i].handle);
        }
    }
    if (rv != CKR_OK) {
        tok_find_end(sess);
    }
    return tok_slot_leave(s, rv);
}

CK_RV nvt_token_find(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE *found, CK_ULONG max, CK_ULONG *count)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    tok_find_t *f = &sess->find;
    if (!f->active) {
        return CKR_OPERATION_NOT_INITIALIZED;
    }
    CK_ULONG k = 0;
    while (k < max && f->pos < f->n) {
        found[k++] = f->h[f->pos++];
    }
    *count = k;
    return CKR_OK;
}

CK_RV nvt_token_find_final(CK_SESSION_HANDLE hs)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (!sess->find.active) {
        return CKR_OPERATION_NOT_INITIALIZED;
    }
    tok_find_end(sess);
    return CKR_OK;
}
