/* Secret-key generation: CKM_AES_KEY_GEN and CKM_GENERIC_SECRET_KEY_GEN
 * (CKA_VALUE_LEN bytes from the random generator) and, with the legacy
 * mechanisms, CKM_DES3_KEY_GEN (24 random bytes with their DES parity bits
 * set; a CKA_VALUE_LEN in the template, as pkcs11-tool sends one, must say
 * 24). The token makes the object (CKA_LOCAL, CKA_ALWAYS_SENSITIVE, ...
 * from the template). */
#include "tok_mech.h"

#if NVT_CONFIG_MECH_LEGACY
/* Set each byte's lowest bit so that the byte has odd parity (FIPS 46-3). */
static void des_parity(uint8_t *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b = (uint8_t)(k[i] & 0xfe), p = b;
        p ^= (uint8_t)(p >> 4);
        p ^= (uint8_t)(p >> 2);
        p ^= (uint8_t)(p >> 1);
        k[i] = (uint8_t)(b | ((p & 1) ^ 1));
    }
}
#define DES3_KEY_GEN(m) ((m) == CKM_DES3_KEY_GEN)
#else
#define DES3_KEY_GEN(m) 0
#endif

static CK_RV secret_generate(const CK_MECHANISM *mech, const CK_ATTRIBUTE *tmpl, CK_ULONG n, tok_made_t *out)
{
    if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    const int des3 = DES3_KEY_GEN(mech->mechanism);
    CK_ULONG len = des3 ? 24 : 0;
    int got = tok_tmpl_ulong(tmpl, n, CKA_VALUE_LEN, &len);
    if (got < 0 || (des3 && len != 24)) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (got == 0 && !des3) {
        return CKR_TEMPLATE_INCOMPLETE;
    }
    /* The row's sizes: bits for generic secrets, bytes for AES and DES3 (as
     * PKCS#11 defines CK_MECHANISM_INFO for each). */
    const tok_mech_t *m = tok_mech_find(mech->mechanism);
    CK_ULONG size = mech->mechanism == CKM_GENERIC_SECRET_KEY_GEN ? len * 8 : len;
    if (m == NULL || len == 0 || len > m->max_key || size < m->min_key || size > m->max_key ||
        (mech->mechanism == CKM_AES_KEY_GEN && len != 16 && len != 24 && len != 32)) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    out->cls = CKO_SECRET_KEY;
    out->key_type = des3 ? CKK_DES3 : mech->mechanism == CKM_AES_KEY_GEN ? CKK_AES : CKK_GENERIC_SECRET;
    CK_RV rv = tok_made_add(out, CKA_VALUE, NULL, len);
    uint8_t *value = rv == CKR_OK ? out->attr[out->n - 1].pValue : NULL;
    if (rv == CKR_OK && nvt_crypto_random(value, len) != NVT_OK) {
        rv = CKR_FUNCTION_FAILED;
    }
#if NVT_CONFIG_MECH_LEGACY
    if (rv == CKR_OK && des3) {
        des_parity(value, len);
    }
#endif
    return rv;
}

const tok_mech_ops_t tok_keygen_secret = { secret_generate, NULL, NULL, NULL, NULL };
