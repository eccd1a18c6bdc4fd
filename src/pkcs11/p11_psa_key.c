/* Lending a token key to PSA code (include/nvtoken/psa_key.h): nvtoken's
 * own entry points beside the PKCS#11 ones, with the same checks and the
 * same lock; the token layer decides (src/token/tok_lend.c). */
#include "nvtoken/psa_key.h"

#include "p11_internal.h"

CK_RV nvt_token_psa_key_lend(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey, uint32_t *psa_key_id)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(psa_key_id != NULL);
    P11_LOCKED_RETURN(nvt_token_lend(hSession, hKey, psa_key_id));
}

CK_RV nvt_token_psa_key_return(CK_SESSION_HANDLE hSession)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_lend_return(hSession));
}
