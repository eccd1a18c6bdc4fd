/* Lending a private key to code that calls PSA itself
 * (include/nvtoken/psa_key.h): the object's policy checked once, the key
 * taken from the key cache for a sign-only PSA use and kept pinned by the
 * session until the loan ends - returned, the user logged out, the session
 * closed, or C_Finalize. */
#include "tok_internal.h"

#include <string.h>

/* The PSA use a loan of o gets (an EC or RSA private key, else
 * CKR_KEY_TYPE_INCONSISTENT): sign-only, for the signature schemes its
 * CKA_ALLOWED_MECHANISMS grant as raw mechanisms (psa_sign_hash() signs a
 * hash the caller made, as CKM_ECDSA, CKM_RSA_PKCS and CKM_RSA_PKCS_PSS
 * do). No list, or an empty one, allows every mechanism. */
static CK_RV lend_use(const tok_obj_t *o, nvt_crypto_use_t *use)
{
    if (o->cls != CKO_PRIVATE_KEY || (o->sub != CKK_EC && o->sub != CKK_RSA)) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    const uint8_t *allowed;
    size_t n;
    int all = !tok_obj_value(o, CKA_ALLOWED_MECHANISMS, &allowed, &n) || n == 0;
    int ecdsa = all, pkcs1 = all, pss = all;
    for (size_t i = 0; !all && i + 4 <= n; i += 4) {
        CK_MECHANISM_TYPE m = tok_get32(allowed + i);
        ecdsa |= m == CKM_ECDSA;
        pkcs1 |= m == CKM_RSA_PKCS;
        pss |= m == CKM_RSA_PKCS_PSS;
    }
    if (o->sub == CKK_EC) {
        *use = NVT_CRYPTO_USE_LEND_ECDSA;
        return ecdsa ? CKR_OK : CKR_MECHANISM_INVALID;
    }
    *use = pkcs1 && pss ? NVT_CRYPTO_USE_LEND_RSA : pkcs1 ? NVT_CRYPTO_USE_LEND_RSA_PKCS1 : NVT_CRYPTO_USE_LEND_RSA_PSS;
    return pkcs1 || pss ? CKR_OK : CKR_MECHANISM_INVALID;
}

CK_RV nvt_token_lend(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE hkey, uint32_t *id)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (!NVT_CONFIG_CRYPTO_PSA) {
        return CKR_FUNCTION_NOT_SUPPORTED; /* no PSA key store to lend into */
    }
    if (sess->lent.key != 0) {
        return CKR_OPERATION_ACTIVE;
    }
    rv = tok_slot_enter(s);
    if (rv != CKR_OK) {
        return rv;
    }
    /* After entering: coordination may have remounted the slot (and
     * logged out, if another process made it another token). */
    if (s->login != CKU_USER) {
        return tok_slot_leave(s, CKR_USER_NOT_LOGGED_IN);
    }
    tok_obj_t o;
    tok_ref_t ref;
    int view = 0;
    nvt_crypto_use_t use = NVT_CRYPTO_USE_NONE;
    rv = tok_key_for(sess, hkey, 0, CK_UNAVAILABLE_INFORMATION, 0, &o, &ref, &view);
    if (rv == CKR_OK) {
        rv = lend_use(&o, &use);
    }
    /* CKA_SIGN; and not a key that asks for the PIN at every use
     * (CKA_ALWAYS_AUTHENTICATE): a loan is any number of uses. */
    if (rv == CKR_OK && (tok_obj_bool(&o, CKA_SIGN, CK_FALSE) == CK_FALSE ||
                         tok_obj_bool(&o, CKA_ALWAYS_AUTHENTICATE, CK_FALSE) != CK_FALSE)) {
        rv = CKR_KEY_FUNCTION_NOT_PERMITTED;
    }
    if (rv == CKR_OK) {
        tok_key_t key = { hkey, &o, &ref, view };
        rv = tok_key_load(&key, use, &sess->lent);
    }
    if (rv == CKR_OK) {
        *id = sess->lent.key;
    }
    return tok_slot_leave(s, rv);
}

void tok_lend_end(tok_session_t *sess)
{
    tok_key_release(&sess->lent);
}

CK_RV nvt_token_lend_return(CK_SESSION_HANDLE hs)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (sess->lent.key == 0) {
        return CKR_OPERATION_NOT_INITIALIZED;
    }
    tok_lend_end(sess);
    return CKR_OK;
}
