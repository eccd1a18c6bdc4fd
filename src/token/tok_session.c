/* Sessions: opening and closing them, their states (PKCS#11 v2.40 section
 * 5.6 / table 8), and what a logout takes away. */
#include "tok_internal.h"

#include <string.h>

CK_RV tok_session_get(CK_SESSION_HANDLE hs, tok_session_t **sess, tok_slot_t **slot)
{
    if (hs != CK_INVALID_HANDLE) {
        for (unsigned i = 0; i < NVT_CONFIG_TOKEN_MAX_SESSIONS; i++) {
            if (tok.sessions[i].handle == hs) {
                *sess = &tok.sessions[i];
                *slot = &tok.slots[tok.sessions[i].slot];
                return CKR_OK;
            }
        }
    }
    return CKR_SESSION_HANDLE_INVALID;
}

CK_RV nvt_token_session_check(CK_SESSION_HANDLE hs)
{
    tok_session_t *sess;
    tok_slot_t *s;
    return tok_session_get(hs, &sess, &s);
}

unsigned tok_session_count(unsigned slot, int rw_only)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NVT_CONFIG_TOKEN_MAX_SESSIONS; i++) {
        const tok_session_t *sess = &tok.sessions[i];
        if (sess->handle != 0 && sess->slot == slot && (!rw_only || (sess->flags & CKF_RW_SESSION) != 0)) {
            n++;
        }
    }
    return n;
}

void tok_logout_slot(tok_slot_t *s)
{
    unsigned slot = (unsigned)(s - tok.slots);
    s->login = TOK_NOBODY;
    /* The application's handles to private objects die with the login,
     * even if the user logs in again; private session objects are gone,
     * and so are the keys lent to PSA code and the private keys loaded
     * into PSA. */
    for (unsigned i = 0; i < NVT_CONFIG_TOKEN_MAX_SESSIONS; i++) {
        if (tok.sessions[i].handle != 0 && tok.sessions[i].slot == slot) {
            tok_lend_end(&tok.sessions[i]);
        }
    }
    tok_kc_forget_slot(slot, 1);
    tok_sobj_purge(0, slot, 1);
    for (size_t i = 0; i < s->nobjs; i++) {
        if (s->objs[i].priv) {
            tok_searches_forget(slot, s->objs[i].handle);
            s->objs[i].handle = tok_new_object_handle();
        }
    }
}

CK_RV nvt_token_open_session(CK_SLOT_ID slot, CK_FLAGS flags, CK_SESSION_HANDLE *hs)
{
    tok_slot_t *s = tok_slot_get(slot);
    if (s == NULL) {
        return CKR_SLOT_ID_INVALID;
    }
    if ((flags & CKF_SERIAL_SESSION) == 0) {
        return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
    }
    CK_RV rv = tok_slot_enter(s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (!s->initialized) {
        rv = CKR_TOKEN_NOT_RECOGNIZED;
    } else if ((flags & CKF_RW_SESSION) == 0 && s->login == CKU_SO) {
        rv = CKR_SESSION_READ_WRITE_SO_EXISTS;
    } else {
        rv = CKR_SESSION_COUNT;
        for (unsigned i = 0; i < NVT_CONFIG_TOKEN_MAX_SESSIONS; i++) {
            tok_session_t *sess = &tok.sessions[i];
            if (sess->handle == 0) {
                memset(sess, 0, sizeof(*sess));
                sess->handle = tok_new_session_handle();
                sess->slot = (unsigned)slot;
                sess->flags = flags & (CKF_SERIAL_SESSION | CKF_RW_SESSION);
                *hs = sess->handle;
                rv = CKR_OK;
                break;
            }
        }
    }
    return tok_slot_leave(s, rv);
}

static void close_session(tok_session_t *sess)
{
    unsigned slot = sess->slot;
    tok_ops_end(sess);
    tok_lend_end(sess);
    tok_find_end(sess);
    tok_sobj_purge(sess->handle, slot, 0);
    memset(sess, 0, sizeof(*sess));
    /* The login belongs to the application's sessions: the last one out
     * logs it out. */
    if (tok_session_count(slot, 0) == 0) {
        tok_logout_slot(&tok.slots[slot]);
    }
}

CK_RV nvt_token_close_session(CK_SESSION_HANDLE hs)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv == CKR_OK) {
        close_session(sess);
    }
    return rv;
}

CK_RV nvt_token_close_all_sessions(CK_SLOT_ID slot)
{
    if (tok_slot_get(slot) == NULL) {
        return CKR_SLOT_ID_INVALID;
    }
    for (unsigned i = 0; i < NVT_CONFIG_TOKEN_MAX_SESSIONS; i++) {
        if (tok.sessions[i].handle != 0 && tok.sessions[i].slot == slot) {
            close_session(&tok.sessions[i]);
        }
    }
    return CKR_OK;
}

CK_RV nvt_token_session_info(CK_SESSION_HANDLE hs, CK_SESSION_INFO *info)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    int rw = (sess->flags & CKF_RW_SESSION) != 0;
    memset(info, 0, sizeof(*info));
    info->slotID = sess->slot;
    info->flags = sess->flags;
    info->ulDeviceError = 0;
    switch (s->login) {
    case CKU_SO: info->state = CKS_RW_SO_FUNCTIONS; break;
    case CKU_USER: info->state = rw ? CKS_RW_USER_FUNCTIONS : CKS_RO_USER_FUNCTIONS; break;
    default: info->state = rw ? CKS_RW_PUBLIC_SESSION : CKS_RO_PUBLIC_SESSION; break;
    }
    return CKR_OK;
}
