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
 * Profile
 * ---------------------------------------------------------------------- */

/**
 * \def NVT_PROFILE_FILE
 * A profile: a header in include/nvtoken/profiles/ that sets the switches
 * below for one kind of product - which mechanism families and token
 * features are built, and the sizes of the token's RAM. CMake selects it
 * (`-DNVT_PROFILE=ecdsa-p256` defines NVT_PROFILE_FILE as
 * "nvtoken/profiles/ecdsa-p256.h"; the default is `full`). It is read after
 * NVT_USER_CONFIG_FILE, so a user file can still override any option.
 * Profiles shipped:
 * - `full`: every mechanism and feature, P-521 included (the host
 *   module's configuration; on a microcontroller SHA-1, RSA encryption and
 *   the legacy mechanisms stay off by their own defaults below);
 * - `ecdsa-p256`: a device that signs with one EC P-256 key and stores its
 *   certificates (CKM_ECDSA, CKM_ECDSA_SHA256, CKM_EC_KEY_PAIR_GEN), with
 *   token RAM for 8 objects of up to 2 kB and 2 sessions.
 *
 * \def NVT_CONFIG_PROFILE_NAME
 * The profile's name, as reports print it.
 */
#if defined(NVT_PROFILE_FILE)
#include NVT_PROFILE_FILE
#endif
#ifndef NVT_CONFIG_PROFILE_NAME
#define NVT_CONFIG_PROFILE_NAME "full"
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
 * Most session objects at once, over all sessions. 0: no session objects
 * at all (their code and pool are left out; an object or key asked for
 * with CKA_TOKEN false is refused with CKR_ATTRIBUTE_VALUE_INVALID).
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
 * \def NVT_CONFIG_TOKEN_MULTIPART
 * 1: multi-part operations (C_SignUpdate/C_SignFinal, C_VerifyUpdate/
 * C_VerifyFinal, and the Update/Final calls of encryption, decryption and
 * digests). 0: those calls answer CKR_FUNCTION_NOT_SUPPORTED; every
 * mechanism still works single-part.
 * \def NVT_CONFIG_TOKEN_COPY
 * 1: C_CopyObject. 0: CKR_FUNCTION_NOT_SUPPORTED.
 * \def NVT_CONFIG_TOKEN_SET_ATTRIBUTE
 * 1: C_SetAttributeValue. 0: CKR_FUNCTION_NOT_SUPPORTED.
 * (NVT_CONFIG_TOKEN_SEED_RANDOM, below, for C_SeedRandom.)
 *
 * Functions that no mechanism of the profile serves answer
 * CKR_FUNCTION_NOT_SUPPORTED too, and their code is left out: C_Encrypt*
 * and C_Decrypt* (no AES, GCM or RSA encryption), C_Digest* (no
 * NVT_CONFIG_MECH_DIGEST), C_GenerateKey, C_GenerateKeyPair, C_WrapKey and
 * C_UnwrapKey, C_DeriveKey (NVT_TOKEN_HAS_* below).
 */
#ifndef NVT_CONFIG_TOKEN_MULTIPART
#define NVT_CONFIG_TOKEN_MULTIPART 1
#endif

/**
 * \def NVT_CONFIG_TOKEN_SEED_RANDOM
 * 1: C_SeedRandom mixes the caller's data into a generator of the token's
 * own (a CTR_DRBG over PSA's; its state is 320 bytes of RAM). 0: the token
 * draws from PSA's generator directly, and C_SeedRandom answers
 * CKR_RANDOM_SEED_NOT_SUPPORTED, the specification's code for a generator
 * that takes no seed.
 */
#ifndef NVT_CONFIG_TOKEN_SEED_RANDOM
#define NVT_CONFIG_TOKEN_SEED_RANDOM 1
#endif
#ifndef NVT_CONFIG_TOKEN_COPY
#define NVT_CONFIG_TOKEN_COPY 1
#endif
#ifndef NVT_CONFIG_TOKEN_SET_ATTRIBUTE
#define NVT_CONFIG_TOKEN_SET_ATTRIBUTE 1
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

/**
 * \def NVT_CONFIG_TOKEN_SEAL
 * 1: the token seals its sensitive records at rest - private and secret
 * keys, the token record with its PIN verifiers, the NV seed - with
 * ChaCha20-Poly1305 under keys derived from the device key
 * (include/nvtoken/port.h, nvt_port_device_key(); docs/DESIGN.md, "Keys
 * at rest"),
 * and refuses such records in the clear once a token is sealed. 0: they
 * are stored in the clear - anyone who reads the flash has every key - and
 * sealed images cannot be read; for laboratory builds only. Either way the
 * device key also seeds the NV seed's mixing and the token serial.
 */
#ifndef NVT_CONFIG_TOKEN_SEAL
#define NVT_CONFIG_TOKEN_SEAL 1
#endif

/**
 * \def NVT_CONFIG_TOKEN_SHARED_SLOTS
 * 1: a slot's region may be changed by others than this library (a host
 * module's image, which other processes write): a slot configured with a
 * sync (nvt_token_slot_config_t.sync) is asked before each use whether its
 * region changed, mounted again if it did, and such changes are the slot
 * events C_WaitForSlotEvent reports. 0: only this library writes the
 * regions (a device's own flash): nvt_token_configure() refuses a slot
 * with a sync (NVT_E_UNSUPPORTED), and C_WaitForSlotEvent, having no event
 * ever to report, answers as with no event pending (CKR_NO_EVENT with
 * CKF_DONT_BLOCK, else CKR_FUNCTION_NOT_SUPPORTED) - as every device
 * build did. The host module needs it.
 */
#ifndef NVT_CONFIG_TOKEN_SHARED_SLOTS
#define NVT_CONFIG_TOKEN_SHARED_SLOTS 1
#endif

/**
 * \def NVT_CONFIG_TOKEN_MIGRATE
 * 1: a token written by a version before sealing (its records in the
 * clear) mounts as it is and is sealed by its first write
 * (docs/DESIGN.md, "Migration"; `nvtoken seal` at once). 0: such a token
 * is unreadable, as one sealed under another device key is: nothing is
 * shown, nothing is written, and C_GetSlotInfo's description says it is
 * in the clear (nvt_token_seal(): NVT_E_CORRUPT). For products
 * whose devices never held a token of a version before sealing (profile
 * `ecdsa-p256`); a product that updates such devices in the field keeps
 * it. Needs NVT_CONFIG_TOKEN_SEAL.
 */
#ifndef NVT_CONFIG_TOKEN_MIGRATE
#define NVT_CONFIG_TOKEN_MIGRATE NVT_CONFIG_TOKEN_SEAL
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

/*
 * Mechanism families. Each switch removes the family's rows from the
 * mechanism table (src/token/tok_mech_table.c), its code in the token and
 * crypto layers, and what it needs of mbedTLS/PSA (src/crypto/config/
 * derives the PSA_WANT_* settings from these switches). A mechanism left
 * out is not listed by C_GetMechanismList and answers
 * CKR_MECHANISM_INVALID; a function no mechanism serves any more answers
 * CKR_FUNCTION_NOT_SUPPORTED (see the token features below). All default
 * to 1 except where noted.
 */

/**
 * \def NVT_CONFIG_MECH_DIGEST
 * 1: the digest mechanisms (CKM_SHA256, CKM_SHA384, CKM_SHA512, CKM_SHA_1
 * with NVT_CONFIG_MECH_SHA1) for C_Digest* and C_DigestKey. SHA-256 itself
 * stays in every profile (PIN verifiers, hashed signatures).
 */
#ifndef NVT_CONFIG_MECH_DIGEST
#define NVT_CONFIG_MECH_DIGEST 1
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
 * them; a device that only signs with SHA-2 leaves them out. Default: on
 * the host only.
 */
#ifndef NVT_CONFIG_MECH_SHA1
#define NVT_CONFIG_MECH_SHA1 NVT_CONFIG_TOKEN_HOST_DEFAULTS
#endif

/**
 * \def NVT_CONFIG_MECH_SHA512
 * 1: SHA-384 and SHA-512 wherever a mechanism uses a hash (CKM_SHA384,
 * CKM_SHA512, CKM_ECDSA_SHA384/512, CKM_SHA384/512_RSA_PKCS(_PSS),
 * CKM_SHA384/512_HMAC) and in PSA.
 */
#ifndef NVT_CONFIG_MECH_SHA512
#define NVT_CONFIG_MECH_SHA512 1
#endif

/**
 * \def NVT_CONFIG_MECH_ECDSA
 * 1: ECDSA signatures (CKM_ECDSA, CKM_ECDSA_SHA256 and the other hashes
 * their switches keep).
 * \def NVT_CONFIG_MECH_EC_KEYGEN
 * 1: EC key pair generation (CKM_EC_KEY_PAIR_GEN).
 * \def NVT_CONFIG_MECH_ECDH
 * 1: EC Diffie-Hellman (CKM_ECDH1_DERIVE, making secret keys).
 * \def NVT_CONFIG_MECH_EC_P384
 * 1: the P-384 curve besides P-256 for all of them (EC keys on other
 * curves are refused with CKR_CURVE_NOT_SUPPORTED).
 * \def NVT_CONFIG_MECH_EC_P521
 * 1: the P-521 curve for all of them too (key pair generation, import,
 * CKM_ECDSA and CKM_ECDSA_SHA*, CKM_ECDH1_DERIVE, wrapping as PKCS#8). On
 * in the `full` profile; a device whose certificates use P-256 or P-384
 * leaves it out (profile `ecdsa-p256` does).
 */
#ifndef NVT_CONFIG_MECH_ECDSA
#define NVT_CONFIG_MECH_ECDSA 1
#endif
#ifndef NVT_CONFIG_MECH_EC_KEYGEN
#define NVT_CONFIG_MECH_EC_KEYGEN 1
#endif
#ifndef NVT_CONFIG_MECH_ECDH
#define NVT_CONFIG_MECH_ECDH 1
#endif
#ifndef NVT_CONFIG_MECH_EC_P384
#define NVT_CONFIG_MECH_EC_P384 1
#endif
#ifndef NVT_CONFIG_MECH_EC_P521
#define NVT_CONFIG_MECH_EC_P521 1
#endif

/**
 * \def NVT_CONFIG_CRYPTO_P256M
 * 1: P-256 ECDSA, ECDH and key generation run on p256-m, the small P-256
 * engine mbedTLS 3.6 ships as a PSA driver (MBEDTLS_PSA_P256M_DRIVER_ENABLED),
 * instead of mbedTLS's own ECP module. Default: 1 when P-256 is the only
 * curve and RSA is off - then the big-number and ECP modules leave the
 * image altogether (13 kB less, for a signature 40 % slower); 0 otherwise,
 * as ECP and the big numbers stay for P-384, P-521 or RSA and p256-m would only
 * add code (docs/DESIGN.md, "Profiles", has the figures).
 */
#ifndef NVT_CONFIG_CRYPTO_P256M
#define NVT_CONFIG_CRYPTO_P256M \
    (NVT_TOKEN_HAS_EC && !NVT_CONFIG_MECH_EC_P384 && !NVT_CONFIG_MECH_EC_P521 && !NVT_CONFIG_MECH_RSA)
#endif

/**
 * \def NVT_CONFIG_CRYPTO_PSA
 * 1: keys and digests go through PSA Crypto (mbedTLS's key store, driver
 * dispatch and generator): every mechanism, and the key loans of
 * include/nvtoken/psa_key.h.
 * 0: a build whose only public-key work is ECDSA and key generation on
 * P-256 with p256-m calls p256-m, SHA-256 and the entropy pool with
 * HMAC_DRBG directly (src/crypto/nvt_crypto_p256m.c), so PSA's core is not
 * linked: 6.6 kB less flash and 0.5 kB less RAM on Cortex-M4. Allowed only
 * with NVT_CONFIG_CRYPTO_P256M, no mechanism besides CKM_ECDSA,
 * CKM_ECDSA_SHA256 and CKM_EC_KEY_PAIR_GEN, no C_SeedRandom and no shared
 * PSA (config_check.h says which is wrong). Profile `ecdsa-p256` sets it.
 */
#ifndef NVT_CONFIG_CRYPTO_PSA
#define NVT_CONFIG_CRYPTO_PSA 1
#endif

/**
 * \def NVT_CONFIG_MECH_RSA
 * 1: RSA (PKCS#1 v1.5 and PSS signatures, CKM_RSA_X_509; keys of 2048 to
 * 4096 bits). 0 also refuses RSA key objects (CKR_ATTRIBUTE_VALUE_INVALID).
 * \def NVT_CONFIG_MECH_RSA_KEYGEN
 * 1: RSA key pair generation (CKM_RSA_PKCS_KEY_PAIR_GEN).
 */
#ifndef NVT_CONFIG_MECH_RSA
#define NVT_CONFIG_MECH_RSA 1
#endif
#ifndef NVT_CONFIG_MECH_RSA_KEYGEN
#define NVT_CONFIG_MECH_RSA_KEYGEN NVT_CONFIG_MECH_RSA
#endif

/**
 * \def NVT_CONFIG_MECH_RSA_ENCRYPT
 * 1: RSA encryption and decryption (CKM_RSA_PKCS and CKM_RSA_X_509 for
 * C_Encrypt/C_Decrypt, CKM_RSA_PKCS_OAEP). 0 leaves RSA to signatures,
 * which is all TLS 1.3 needs. Default: on the host only.
 */
#ifndef NVT_CONFIG_MECH_RSA_ENCRYPT
#define NVT_CONFIG_MECH_RSA_ENCRYPT (NVT_CONFIG_TOKEN_HOST_DEFAULTS && NVT_CONFIG_MECH_RSA)
#endif

/**
 * \def NVT_CONFIG_MECH_LEGACY
 * 1: the legacy mechanisms that test rigs written for SoftHSM2 still use
 * (docs/COMPATIBILITY.md): RSA keys of 1024 bits (generated, imported, used
 * with every RSA mechanism) and triple-DES (CKK_DES3 keys, CKM_DES3_KEY_GEN,
 * CKM_DES3_ECB, CKM_DES3_CBC, CKM_DES3_CBC_PAD), and DES in PSA. Triple-DES
 * runs on the AES modes' code and is generated as secret keys are, so it
 * needs NVT_CONFIG_MECH_AES and NVT_CONFIG_MECH_SECRET_KEYGEN. Compiled into
 * the host module (which replaces SoftHSM2 in such rigs), left out of
 * device builds and of profile `ecdsa-p256`. A build that has them can
 * still switch them off when it starts: nvt_token_config_t.flags
 * NVT_TOKEN_LEGACY_OFF, which the host module sets from its `legacy = 0`
 * setting (NVTOKEN_LEGACY=0).
 */
#ifndef NVT_CONFIG_MECH_LEGACY
#define NVT_CONFIG_MECH_LEGACY NVT_CONFIG_TOKEN_HOST_DEFAULTS
#endif

/**
 * \def NVT_CONFIG_MECH_HMAC
 * 1: CKM_SHA256_HMAC (and SHA-384/512 with NVT_CONFIG_MECH_SHA512) on
 * generic secret keys.
 * \def NVT_CONFIG_MECH_CMAC
 * 1: CKM_AES_CMAC.
 * \def NVT_CONFIG_MECH_AES
 * 1: the AES modes CKM_AES_ECB, CKM_AES_CBC, CKM_AES_CBC_PAD, CKM_AES_CTR.
 * \def NVT_CONFIG_MECH_AES_GCM
 * 1: CKM_AES_GCM.
 * \def NVT_CONFIG_MECH_AES_KEY_WRAP
 * 1: CKM_AES_KEY_WRAP, CKM_AES_KEY_WRAP_PAD (secret keys, and private keys
 * as PKCS#8).
 * \def NVT_CONFIG_MECH_SECRET_KEYGEN
 * 1: secret key generation (CKM_AES_KEY_GEN, CKM_GENERIC_SECRET_KEY_GEN).
 */
#ifndef NVT_CONFIG_MECH_HMAC
#define NVT_CONFIG_MECH_HMAC 1
#endif
#ifndef NVT_CONFIG_MECH_CMAC
#define NVT_CONFIG_MECH_CMAC 1
#endif
#ifndef NVT_CONFIG_MECH_AES
#define NVT_CONFIG_MECH_AES 1
#endif
#ifndef NVT_CONFIG_MECH_AES_GCM
#define NVT_CONFIG_MECH_AES_GCM 1
#endif
#ifndef NVT_CONFIG_MECH_AES_KEY_WRAP
#define NVT_CONFIG_MECH_AES_KEY_WRAP 1
#endif
#ifndef NVT_CONFIG_MECH_SECRET_KEYGEN
#define NVT_CONFIG_MECH_SECRET_KEYGEN 1
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

/* ------------------------------------------------------------------------
 * Derived: which PKCS#11 functions the mechanisms of the profile serve
 * (read by the token and PKCS#11 layers and by the tests; not options).
 * ---------------------------------------------------------------------- */

/** C_Encrypt*, C_Decrypt*: some mechanism encrypts. */
#define NVT_TOKEN_HAS_ENCRYPT \
    (NVT_CONFIG_MECH_AES || NVT_CONFIG_MECH_AES_GCM || (NVT_CONFIG_MECH_RSA && NVT_CONFIG_MECH_RSA_ENCRYPT))
/** C_Digest*, C_DigestKey. */
#define NVT_TOKEN_HAS_DIGEST NVT_CONFIG_MECH_DIGEST
/** C_GenerateKey. */
#define NVT_TOKEN_HAS_GENERATE_KEY NVT_CONFIG_MECH_SECRET_KEYGEN
/** C_GenerateKeyPair. */
#define NVT_TOKEN_HAS_GENERATE_KEY_PAIR \
    (NVT_CONFIG_MECH_EC_KEYGEN || (NVT_CONFIG_MECH_RSA && NVT_CONFIG_MECH_RSA_KEYGEN))
/** C_WrapKey, C_UnwrapKey. */
#define NVT_TOKEN_HAS_WRAP NVT_CONFIG_MECH_AES_KEY_WRAP
/** C_DeriveKey. */
#define NVT_TOKEN_HAS_DERIVE NVT_CONFIG_MECH_ECDH
/** Any mechanism that uses EC keys. */
#define NVT_TOKEN_HAS_EC (NVT_CONFIG_MECH_ECDSA || NVT_CONFIG_MECH_EC_KEYGEN || NVT_CONFIG_MECH_ECDH)

#include "nvtoken/config_check.h"

#endif /* NVTOKEN_CONFIG_H */
