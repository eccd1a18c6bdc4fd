/**
 * \file config.h
 * \brief nvtoken's compile-time configuration: every size and policy knob,
 *        in one place.
 *
 * Each option has a default here. A build overrides options by defining
 * NVT_USER_CONFIG_FILE as the name of a header to include first (as mbedTLS
 * does with MBEDTLS_USER_CONFIG_FILE), or by -D on the command line. The host
 * and Cortex-M4 builds differ only in that file. config_check.h rejects
 * impossible combinations at compile time.
 *
 * Sections are added by the layer that owns them.
 */
#ifndef NVTOKEN_CONFIG_H
#define NVTOKEN_CONFIG_H

#if defined(NVT_USER_CONFIG_FILE)
#include NVT_USER_CONFIG_FILE
#endif

/* ------------------------------------------------------------------------
 * Store
 * ---------------------------------------------------------------------- */

/**
 * \def NVT_CONFIG_STORE_WEAR_GAP
 * Static wear levelling: when the erase counts of the most- and least-erased
 * sectors differ by more than this, the store moves the data of the
 * least-erased sector (data that never changes, such as certificates) so
 * that sector joins the rotation. Smaller evens wear sooner and costs more
 * copying; 0 disables static wear levelling.
 */
#ifndef NVT_CONFIG_STORE_WEAR_GAP
#define NVT_CONFIG_STORE_WEAR_GAP 16
#endif

/**
 * \def NVT_CONFIG_STORE_MAX_OBJECTS
 * Index slots a store user (the token layer, the tools) allocates: the most
 * objects, plus tombstones of deleted objects not yet collected, that one
 * store can hold. Each slot is NVT_STORE_INDEX_BYTES(1) = 12 bytes of RAM.
 */
#ifndef NVT_CONFIG_STORE_MAX_OBJECTS
#define NVT_CONFIG_STORE_MAX_OBJECTS 16
#endif

/**
 * \def NVT_CONFIG_STORE_SCRATCH
 * Scratch buffer a store user allocates (at least NVT_STORE_SCRATCH_MIN):
 * data moves between flash and RAM through it, so a larger buffer means
 * fewer flash operations.
 */
#ifndef NVT_CONFIG_STORE_SCRATCH
#define NVT_CONFIG_STORE_SCRATCH 128
#endif

/* ------------------------------------------------------------------------
 * Token (PKCS#11 semantics, src/token/)
 *
 * Two sets of defaults: the host (a POSIX system: the PKCS#11 module, tools
 * and tests, where RAM is plentiful and a heap is allowed) and the target
 * (a microcontroller: everything static and small). Any option can be
 * overridden in the NVT_USER_CONFIG_FILE.
 * ---------------------------------------------------------------------- */

#if defined(__unix__) || defined(__APPLE__)
#define NVT_CONFIG_TOKEN_HOST_DEFAULTS 1
#else
#define NVT_CONFIG_TOKEN_HOST_DEFAULTS 0
#endif

/**
 * \def NVT_CONFIG_TOKEN_HEAP
 * 1: the token may allocate: token objects are cached in RAM (find among
 * thousands of objects without reading flash) and the object table grows
 * as needed. 0: no heap; the object table holds NVT_CONFIG_TOKEN_MAX_OBJECTS
 * entries and objects are read from the store into two static buffers of
 * NVT_CONFIG_TOKEN_OBJECT_MAX bytes when used. Target builds must use 0.
 */
#ifndef NVT_CONFIG_TOKEN_HEAP
#define NVT_CONFIG_TOKEN_HEAP NVT_CONFIG_TOKEN_HOST_DEFAULTS
#endif

/**
 * \def NVT_CONFIG_TOKEN_SLOTS
 * Most slots (each with its token, on its own flash region). The firmware
 * or the host module's configuration decides how many are used.
 */
#ifndef NVT_CONFIG_TOKEN_SLOTS
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_TOKEN_SLOTS 8
#else
#define NVT_CONFIG_TOKEN_SLOTS 1
#endif
#endif

/**
 * \def NVT_CONFIG_TOKEN_MAX_SESSIONS
 * Most sessions open at once, over all slots (CKR_SESSION_COUNT beyond).
 * Each costs the session's state plus NVT_CONFIG_TOKEN_OPS_PER_SESSION
 * operation contexts and, without heap, a find buffer.
 */
#ifndef NVT_CONFIG_TOKEN_MAX_SESSIONS
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_TOKEN_MAX_SESSIONS 64
#else
#define NVT_CONFIG_TOKEN_MAX_SESSIONS 4
#endif
#endif

/**
 * \def NVT_CONFIG_TOKEN_OPS_PER_SESSION
 * Cryptographic operations a session may run at once (one per kind; two
 * allow the dual-function combinations, e.g. digest while encrypting).
 */
#ifndef NVT_CONFIG_TOKEN_OPS_PER_SESSION
#define NVT_CONFIG_TOKEN_OPS_PER_SESSION 2
#endif

/**
 * \def NVT_CONFIG_TOKEN_MAX_OBJECTS
 * Without heap: most token objects per slot (the object table's size).
 * With heap: the table grows; this is only its initial size.
 */
#ifndef NVT_CONFIG_TOKEN_MAX_OBJECTS
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_TOKEN_MAX_OBJECTS 256
#else
#define NVT_CONFIG_TOKEN_MAX_OBJECTS 32
#endif
#endif

/**
 * \def NVT_CONFIG_TOKEN_OBJECT_MAX
 * Largest object, serialised (docs/FORMAT.md, "Token objects"): attribute
 * values plus 8 bytes per attribute and a 24-byte header. An RSA-2048
 * private key with its CRT components is about 1.3 kB, a 1.7 kB root CA
 * certificate about 2.2 kB with its subject and issuer.
 */
#ifndef NVT_CONFIG_TOKEN_OBJECT_MAX
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_TOKEN_OBJECT_MAX 65536
#else
#define NVT_CONFIG_TOKEN_OBJECT_MAX 4096
#endif
#endif

/**
 * \def NVT_CONFIG_TOKEN_SESSION_OBJECTS
 * Most session objects at once, over all sessions.
 * \def NVT_CONFIG_TOKEN_SESSION_ARENA
 * Bytes of the fixed pool that holds them (serialised like token objects).
 */
#ifndef NVT_CONFIG_TOKEN_SESSION_OBJECTS
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_TOKEN_SESSION_OBJECTS 1024
#else
#define NVT_CONFIG_TOKEN_SESSION_OBJECTS 8
#endif
#endif
#ifndef NVT_CONFIG_TOKEN_SESSION_ARENA
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_TOKEN_SESSION_ARENA (1024u * 1024u)
#else
#define NVT_CONFIG_TOKEN_SESSION_ARENA 4096
#endif
#endif

/**
 * \def NVT_CONFIG_TOKEN_MADE_MAX
 * Bytes of key material a key-making mechanism (generate, derive, unwrap)
 * can hand the token at once; two such buffers exist (a key pair). An
 * RSA-2048 private key with its CRT components needs about 1.2 kB.
 */
#ifndef NVT_CONFIG_TOKEN_MADE_MAX
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_TOKEN_MADE_MAX 4096
#else
#define NVT_CONFIG_TOKEN_MADE_MAX 1536
#endif
#endif

/**
 * \def NVT_CONFIG_TOKEN_PIN_MIN
 * \def NVT_CONFIG_TOKEN_PIN_MAX
 * Accepted PIN lengths in bytes (CKR_PIN_LEN_RANGE outside).
 */
#ifndef NVT_CONFIG_TOKEN_PIN_MIN
#define NVT_CONFIG_TOKEN_PIN_MIN 4
#endif
#ifndef NVT_CONFIG_TOKEN_PIN_MAX
#define NVT_CONFIG_TOKEN_PIN_MAX 64
#endif

/**
 * \def NVT_CONFIG_TOKEN_PIN_ITERATIONS
 * PBKDF2-HMAC-SHA256 iterations of a new PIN verifier (each verifier
 * records its own count, so changing this affects PINs set afterwards).
 * A login costs this many HMAC-SHA256 pairs: about 5 ms on a PC per 10,000,
 * about 0.1 s per 1,000 on a 64 MHz Cortex-M4.
 */
#ifndef NVT_CONFIG_TOKEN_PIN_ITERATIONS
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_TOKEN_PIN_ITERATIONS 10000
#else
#define NVT_CONFIG_TOKEN_PIN_ITERATIONS 1000
#endif
#endif

/**
 * \def NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX
 * Most PBKDF2 iterations a stored PIN verifier may ask for (at least
 * NVT_CONFIG_TOKEN_PIN_ITERATIONS). A token record whose verifier asks for
 * more is not a token record: an edited image cannot make a login run for
 * hours. About 0.5 s on a PC at the host's bound, 10 s on a 64 MHz
 * Cortex-M4 at the target's.
 */
#ifndef NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX 1000000
#else
#define NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX 100000
#endif
#endif

/**
 * \def NVT_CONFIG_TOKEN_USER_PIN_TRIES
 * \def NVT_CONFIG_TOKEN_SO_PIN_TRIES
 * Consecutive wrong PINs that lock the user PIN (the SO unlocks it with
 * C_InitPIN) and the SO PIN (then only a new image or a reformat helps).
 * 1 to 255.
 */
#ifndef NVT_CONFIG_TOKEN_USER_PIN_TRIES
#define NVT_CONFIG_TOKEN_USER_PIN_TRIES 5
#endif
#ifndef NVT_CONFIG_TOKEN_SO_PIN_TRIES
#define NVT_CONFIG_TOKEN_SO_PIN_TRIES 10
#endif

/* ------------------------------------------------------------------------
 * Cryptography and mechanisms (src/crypto/, src/token/tok_mech_*.c)
 *
 * These options also shape the mbedTLS/PSA build: src/crypto/config/ reads
 * them, so the PSA algorithms compiled in are exactly those the mechanisms
 * use.
 * ---------------------------------------------------------------------- */

/**
 * \def NVT_CONFIG_CRYPTO_TRNG
 * 1: the port has a true random number generator (nvt_port_entropy(),
 * include/nvtoken/port.h; getrandom() on the host), which feeds mbedTLS's
 * entropy pool as its hardware source (mbedtls_hardware_poll).
 * 0: no TRNG; the pool relies on the NV seed.
 */
#ifndef NVT_CONFIG_CRYPTO_TRNG
#define NVT_CONFIG_CRYPTO_TRNG NVT_CONFIG_TOKEN_HOST_DEFAULTS
#endif

/**
 * \def NVT_CONFIG_CRYPTO_NV_SEED
 * 1: the entropy pool also reads a secret seed from slot 0's store at
 * start-up and replaces it there with a fresh one before any random number
 * is handed out (MBEDTLS_ENTROPY_NV_SEED). The seed is written at
 * provisioning (nvt_token_provision_nv_seed(); the host module does it for
 * every image it creates). Needed when there is no TRNG.
 */
#ifndef NVT_CONFIG_CRYPTO_NV_SEED
#define NVT_CONFIG_CRYPTO_NV_SEED (!NVT_CONFIG_TOKEN_HOST_DEFAULTS)
#endif

/**
 * \def NVT_CONFIG_CRYPTO_PSA_SHARED
 * 1: PSA Crypto is the firmware's, which uses it too: one mbedTLS for
 * nvtoken and the application (examples/tls-client/README.md, "mbedTLS in
 * your firmware"). C_Initialize starts PSA unless the firmware has
 * (psa_crypto_init() may be called any number of times); C_Finalize
 * destroys the token's keys and generator but leaves PSA running:
 * stopping it, mbedtls_psa_crypto_free(), is the firmware's call.
 * 0: PSA is nvtoken's alone and C_Finalize stops it. nvtoken's CMake sets
 * 1 when the firmware gives its own mbedTLS (NVT_MBEDTLS_TARGET).
 */
#ifndef NVT_CONFIG_CRYPTO_PSA_SHARED
#define NVT_CONFIG_CRYPTO_PSA_SHARED 0
#endif

/**
 * \def NVT_CONFIG_MECH_SHA1
 * 1: the SHA-1 mechanisms (CKM_SHA_1, CKM_ECDSA_SHA1, CKM_SHA1_RSA_PKCS,
 * OAEP with SHA-1) and SHA-1 in PSA. Legacy clients and tests still use
 * them; a device that only signs with SHA-2 leaves them out.
 */
#ifndef NVT_CONFIG_MECH_SHA1
#define NVT_CONFIG_MECH_SHA1 NVT_CONFIG_TOKEN_HOST_DEFAULTS
#endif

/**
 * \def NVT_CONFIG_MECH_RSA_ENCRYPT
 * 1: RSA encryption and decryption (CKM_RSA_PKCS and CKM_RSA_X_509 for
 * C_Encrypt/C_Decrypt, CKM_RSA_PKCS_OAEP). 0 leaves RSA to signatures,
 * which is all TLS 1.3 needs.
 */
#ifndef NVT_CONFIG_MECH_RSA_ENCRYPT
#define NVT_CONFIG_MECH_RSA_ENCRYPT NVT_CONFIG_TOKEN_HOST_DEFAULTS
#endif

/**
 * \def NVT_CONFIG_MECH_EC_P521
 * 1: the curve secp521r1 (P-521) for every EC mechanism (key pair
 * generation, import, CKM_ECDSA and CKM_ECDSA_SHA*, CKM_ECDH1_DERIVE,
 * wrapping as PKCS#8) and in PSA. On in the host and full builds; a device
 * whose certificates use P-256 or P-384 leaves it out.
 */
#ifndef NVT_CONFIG_MECH_EC_P521
#define NVT_CONFIG_MECH_EC_P521 1
#endif

/**
 * \def NVT_CONFIG_MECH_LEGACY
 * 1: the legacy mechanisms that test rigs written for SoftHSM2 still use
 * (docs/COMPATIBILITY.md): RSA keys of 1024 bits (generated, imported, used
 * with every RSA mechanism) and triple-DES (CKK_DES3 keys, CKM_DES3_KEY_GEN,
 * CKM_DES3_ECB, CKM_DES3_CBC, CKM_DES3_CBC_PAD), and DES in PSA. Compiled
 * into the host module (which replaces SoftHSM2 in such rigs), left out of
 * device builds. A build that has them can still switch them off when it
 * starts: nvt_token_config_t.flags NVT_TOKEN_LEGACY_OFF, which the host
 * module sets from its `legacy = 0` setting (NVTOKEN_LEGACY=0).
 */
#ifndef NVT_CONFIG_MECH_LEGACY
#define NVT_CONFIG_MECH_LEGACY NVT_CONFIG_TOKEN_HOST_DEFAULTS
#endif

/**
 * \def NVT_CONFIG_MECH_RSA_GEN_MAX_BITS
 * Largest RSA key CKM_RSA_PKCS_KEY_PAIR_GEN makes: 2048 or 3072 (2048 is
 * the least). Its private parts must fit NVT_CONFIG_TOKEN_MADE_MAX
 * (about 1.2 kB for 2048 bits, 1.8 kB for 3072). Keys up to 4096 bits can
 * always be imported.
 */
#ifndef NVT_CONFIG_MECH_RSA_GEN_MAX_BITS
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_MECH_RSA_GEN_MAX_BITS 3072
#else
#define NVT_CONFIG_MECH_RSA_GEN_MAX_BITS 2048
#endif
#endif

/**
 * \def NVT_CONFIG_MECH_GCM_BUFFER
 * Most bytes of ciphertext a multi-part CKM_AES_GCM decryption keeps until
 * C_DecryptFinal has verified the tag (no plaintext is released before).
 * Held in mbedTLS's allocator for the operation's life. Single-part
 * C_Decrypt needs no buffer and has no such limit.
 */
#ifndef NVT_CONFIG_MECH_GCM_BUFFER
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_MECH_GCM_BUFFER (1024u * 1024u)
#else
#define NVT_CONFIG_MECH_GCM_BUFFER 1024u
#endif
#endif

/**
 * \def NVT_CONFIG_TOKEN_KEY_CACHE
 * Keys kept loaded in PSA (the key cache, src/token/tok_keycache.c): an
 * entry per key and use, so that C_SignInit with a key used before
 * neither reads the store nor parses the key. The least recently used
 * entry is evicted (its PSA key destroyed) when the cache is full.
 * Each entry costs about 130 bytes here plus the key in PSA.
 */
#ifndef NVT_CONFIG_TOKEN_KEY_CACHE
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
#define NVT_CONFIG_TOKEN_KEY_CACHE 32
#else
#define NVT_CONFIG_TOKEN_KEY_CACHE 4
#endif
#endif

#include "nvtoken/config_check.h"

#endif /* NVTOKEN_CONFIG_H */
