/* Secret-key generation: CKM_AES_KEY_GEN and CKM_GENERIC_SECRET_KEY_GEN.
 * CKA_VALUE_LEN bytes from the random generator; the token makes the
 * object (CKA_LOCAL, CKA_ALWAYS_SENSITIVE, ... from the template). */
#include "tok_mech.h"

#if NVT_CONFIG_MECH_SECRET_KEYGEN

static CK_RV secret_generate(const CK_MECHANISM *mech, const CK_ATTRIBUTE *tmpl, CK_ULONG n, tok_made_t *out)
{
    if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    CK_ULONG len = 0;
    int got = tok_tmpl_ulong(tmpl, n, CKA_VALUE_LEN, &len);
    if (got < 0) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (got == 0) {
        return CKR_TEMPLATE_INCOMPLETE;
    }
    /* The row's sizes: bits for generic secrets, bytes for AES (as PKCS#11
     * defines CK_MECHANISM_INFO for each). */
    const tok_mech_t *m = tok_mech_find(mech->mechanism);
    CK_ULONG size = mech->mechanism == CKM_GENERIC_SECRET_KEY_GEN ? len * 8 : len;
    if (m == NULL || len == 0 || len > m->max_key || size < m->min_key || size > m->max_key ||
        (mech->mechanism == CKM_AES_KEY_GEN && len != 16 && len != 24 && len != 32)) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    out->cls = CKO_SECRET_KEY;
    out->key_type = mech->mechanism == CKM_AES_KEY_GEN ? CKK_AES : CKK_GENERIC_SECRET;
    CK_RV rv = tok_made_add(out, CKA_VALUE, NULL, len);
    if (rv == CKR_OK && nvt_crypto_random(out->attr[out->n - 1].pValue, len) != NVT_OK) {
        rv = CKR_FUNCTION_FAILED;
    }
    return rv;
}

const tok_mech_ops_t tok_keygen_secret = { secret_generate, NULL, NULL, NULL, NULL };

#endif /* NVT_CONFIG_MECH_SECRET_KEYGEN */
