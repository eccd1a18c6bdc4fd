/**
 * \file nvt_ct.h
 * \brief Constant-time primitives for decisions that depend on secrets.
 *
 * A PIN verifier, a MAC or a padding check must not take longer, or touch
 * other memory, depending on where the first differing byte is: that would
 * let an attacker who can time the call learn the secret byte by byte. These
 * functions look at every byte whatever the data, branch only on lengths
 * (public), and fold their result into a word with no data-dependent jumps.
 *
 * They are plain C and need no crypto library; they live in the crypto
 * layer because that is where secrets are compared.
 */
#ifndef NVT_CT_H
#define NVT_CT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * \brief 1 if the \p len bytes at \p a and \p b are equal, else 0; time
 *        depends on \p len only.
 */
int nvt_ct_memeq(const void *a, const void *b, size_t len);

/**
 * \brief All-ones if \p x is zero, else zero, without a branch.
 */
uint32_t nvt_ct_is_zero_mask(uint32_t x);

#ifdef __cplusplus
}
#endif

#endif /* NVT_CT_H */
