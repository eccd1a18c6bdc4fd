/* The token's RAM as a function of the configuration (docs/DESIGN.md, "The
 * token's RAM"): every part of the token's static state is one term of
 * the formula, and on a 32-bit target (the Cortex-M4) each term has the
 * size the document gives. Prints the terms of the build's profile. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "tok_internal.h"

/* Terms of the formula, bytes, for the build's profile. */
static size_t per_session(void)
{
    return sizeof(tok_session_t);
}

/* What the state holds besides the sized parts: flags, counts, pointers. */
static size_t fixed_part(void)
{
    return sizeof(tok_state_t) - NVT_CONFIG_TOKEN_SLOTS * sizeof(tok_slot_t) -
           NVT_CONFIG_TOKEN_MAX_SESSIONS * sizeof(tok_session_t) -
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0
           NVT_CONFIG_TOKEN_SESSION_OBJECTS * sizeof(tok_sobj_t) - NVT_CONFIG_TOKEN_SESSION_ARENA -
#endif
           TOK_OBJ_BUFFERS * (NVT_CONFIG_TOKEN_OBJECT_MAX + TOK_SEAL_TRAILER) - TOK_MADE_BUFFERS * sizeof(tok_made_t);
}

static void the_token_state_is_the_sum_of_its_terms(void **state)
{
    (void)state;
    size_t slots = NVT_CONFIG_TOKEN_SLOTS * (sizeof(tok_slot_t) + NVT_CONFIG_TOKEN_MAX_OBJECTS * sizeof(tok_tobj_t));
    size_t sessions = NVT_CONFIG_TOKEN_MAX_SESSIONS * per_session();
    size_t sobjs = 0;
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0
    sobjs = NVT_CONFIG_TOKEN_SESSION_OBJECTS * sizeof(tok_sobj_t) + NVT_CONFIG_TOKEN_SESSION_ARENA;
#endif
    size_t bufs = TOK_OBJ_BUFFERS * (NVT_CONFIG_TOKEN_OBJECT_MAX + TOK_SEAL_TRAILER);
    size_t made = TOK_MADE_BUFFERS * sizeof(tok_made_t);
    size_t cache = NVT_CONFIG_TOKEN_KEY_CACHE * sizeof(tok_kc_entry_t);
    size_t fixed = fixed_part();
    size_t total = fixed + slots + sessions + sobjs + bufs + made + cache;
    printf("token RAM, profile %s (%u-bit): %lu B =\n", NVT_CONFIG_PROFILE_NAME, (unsigned)(sizeof(void *) * 8),
           (unsigned long)total);
    printf("  fixed %lu\n  slots %u x (%lu + %u objects x %lu) = %lu\n", (unsigned long)fixed,
           NVT_CONFIG_TOKEN_SLOTS, (unsigned long)sizeof(tok_slot_t), NVT_CONFIG_TOKEN_MAX_OBJECTS,
           (unsigned long)sizeof(tok_tobj_t), (unsigned long)slots);
    printf("  sessions %u x (%lu: %u operations x %lu, context %lu; find %u x %lu) = %lu\n",
           NVT_CONFIG_TOKEN_MAX_SESSIONS, (unsigned long)per_session(), NVT_CONFIG_TOKEN_OPS_PER_SESSION,
           (unsigned long)sizeof(tok_op_t), (unsigned long)sizeof(tok_op_ctx_t), (unsigned)TOK_FIND_STATIC,
           (unsigned long)sizeof(CK_OBJECT_HANDLE), (unsigned long)sessions);
    printf("  session objects %u, pool %u = %lu\n", NVT_CONFIG_TOKEN_SESSION_OBJECTS,
           NVT_CONFIG_TOKEN_SESSION_ARENA, (unsigned long)sobjs);
    printf("  object buffers %u x (%u + sealing %u) = %lu\n", TOK_OBJ_BUFFERS, NVT_CONFIG_TOKEN_OBJECT_MAX,
           (unsigned)TOK_SEAL_TRAILER, (unsigned long)bufs);
    printf("  made-key buffers %u x %lu = %lu\n", TOK_MADE_BUFFERS, (unsigned long)sizeof(tok_made_t),
           (unsigned long)made);
    printf("  key cache %u x %lu = %lu\n", NVT_CONFIG_TOKEN_KEY_CACHE, (unsigned long)sizeof(tok_kc_entry_t),
           (unsigned long)cache);

    /* Each part is what its term says: the session is its fixed part (its
     * handle, flags, find state and the key it lends to PSA code), its
     * operations and its find results; a made-key buffer is its
     * attribute array and value room. */
    assert_true(sizeof(tok_session_t) >= NVT_CONFIG_TOKEN_OPS_PER_SESSION * sizeof(tok_op_t) +
                                             TOK_FIND_STATIC * sizeof(CK_OBJECT_HANDLE));
    assert_true(sizeof(tok_session_t) - NVT_CONFIG_TOKEN_OPS_PER_SESSION * sizeof(tok_op_t) -
                    TOK_FIND_STATIC * sizeof(CK_OBJECT_HANDLE) <=
                96);
    assert_true(fixed < 64);
#if UINTPTR_MAX == 0xFFFFFFFFu
    /* The constants of docs/DESIGN.md for a 32-bit target. */
    assert_int_equal(sizeof(tok_slot_t), 372); /* 368 with sealing, + whether the store is mounted (the NV seed) */
    assert_int_equal(sizeof(tok_tobj_t), 12);
    assert_int_equal(sizeof(tok_session_t) - NVT_CONFIG_TOKEN_OPS_PER_SESSION * sizeof(tok_op_t) -
                         TOK_FIND_STATIC * sizeof(CK_OBJECT_HANDLE),
                     48);
    assert_int_equal(sizeof(tok_op_t) - sizeof(tok_op_ctx_t), 16);
    assert_int_equal(sizeof(tok_sobj_t), 24);
    assert_int_equal(sizeof(tok_made_t) - NVT_CONFIG_TOKEN_MADE_MAX, 160);
    assert_int_equal(sizeof(tok_kc_entry_t), 136);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_token_state_is_the_sum_of_its_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
