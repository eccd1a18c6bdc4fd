/**
 * \file full.h
 * \brief Profile `full`: every mechanism family and token feature
 *        (include/nvtoken/config.h has the switches and their defaults).
 *
 * The host module's profile, and the Cortex-M4 build that runs the whole
 * test suite: EC on P-256, P-384 and P-521, RSA, the SHA-2 digests, HMAC,
 * CMAC, AES and key wrap. On a microcontroller, SHA-1, RSA encryption and
 * the legacy mechanisms (1024-bit RSA, triple-DES: host only) stay off by
 * their own target defaults, and the token's RAM has the target sizes.
 * Selected with `-DNVT_PROFILE=full` (the default).
 */
#ifndef NVTOKEN_PROFILE_FULL_H
#define NVTOKEN_PROFILE_FULL_H

#ifndef NVT_CONFIG_PROFILE_NAME
#define NVT_CONFIG_PROFILE_NAME "full"
#endif

#endif /* NVTOKEN_PROFILE_FULL_H */
