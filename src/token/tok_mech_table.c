/* The mechanism dispatch table (tok_mech.h). A mechanism is one row here
 * plus its functions in a tok_mech_<family>.c; nothing else changes. */
#include "tok_mech.h"

static const tok_mech_t tok_mechs[] = {
    /* type, min key, max key, CK_MECHANISM_INFO flags, operations, key making */
    { CKM_GENERIC_SECRET_KEY_GEN, 1, 512, CKF_GENERATE, { NULL }, &tok_keygen_secret },
    { CKM_SHA256, 0, 0, CKF_DIGEST, { [TOK_OP_DIGEST] = &tok_digest }, NULL },
    { CKM_AES_KEY_GEN, 16, 32, CKF_GENERATE, { NULL }, &tok_keygen_secret },
};

size_t tok_mech_count(void)
{
    return sizeof(tok_mechs) / sizeof(tok_mechs[0]);
}

const tok_mech_t *tok_mech_at(size_t i)
{
    return i < tok_mech_count() ? &tok_mechs[i] : NULL;
}

const tok_mech_t *tok_mech_find(CK_MECHANISM_TYPE type)
{
    for (size_t i = 0; i < tok_mech_count(); i++) {
        if (tok_mechs[i].type == type) {
            return &tok_mechs[i];
        }
    }
    return NULL;
}
