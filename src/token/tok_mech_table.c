/* The mechanism dispatch table (tok_mech.h). A mechanism is one row here
 * plus its functions in a tok_mech_<family>.c; nothing else changes. */
#include "tok_mech.h"

static const tok_mech_t tok_mechs[] = {
    /* type, min key, max key, CK_MECHANISM_INFO flags, operations, key making */
    { CKM_GENERIC_SECRET_KEY_GEN, 1, 512, CKF_GENERATE, { NULL }, &tok_keygen_secret },
    { CKM_SHA256, 0, 0, CKF_DIGEST, { [TOK_OP_DIGEST] = &tok_digest }, NULL },
    { CKM_AES_KEY_GEN, 16, 32, CKF_GENERATE, { NULL }, &tok_keygen_secret },
};

#define TOK_MECHS (sizeof(tok_mechs) / sizeof(tok_mechs[0]))

#if defined(NVT_TOKEN_TEST_MECHANISMS)
/* The operation engine's unit test builds the layer once more with
 * vendor-defined test mechanisms appended (tests/unit/token_test_mechs.c). */
extern const tok_mech_t tok_test_mechs[];
extern const size_t tok_test_mech_count;
#define TOK_TEST_MECHS tok_test_mech_count
#else
#define TOK_TEST_MECHS 0u
#endif

size_t tok_mech_count(void)
{
    return TOK_MECHS + TOK_TEST_MECHS;
}

const tok_mech_t *tok_mech_at(size_t i)
{
    if (i < TOK_MECHS) {
        return &tok_mechs[i];
    }
#if defined(NVT_TOKEN_TEST_MECHANISMS)
    if (i - TOK_MECHS < tok_test_mech_count) {
        return &tok_test_mechs[i - TOK_MECHS];
    }
#endif
    return NULL;
}

const tok_mech_t *tok_mech_find(CK_MECHANISM_TYPE type)
{
    for (size_t i = 0; i < tok_mech_count(); i++) {
        const tok_mech_t *m = tok_mech_at(i);
        if (m->type == type) {
            return m;
        }
    }
    return NULL;
}
