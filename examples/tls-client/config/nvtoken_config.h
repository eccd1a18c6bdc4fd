/**
 * \file nvtoken_config.h
 * \brief nvtoken's options for the TLS client firmware
 *        (NVT_USER_CONFIG_FILE, read before the profile and the defaults of
 *        include/nvtoken/config.h).
 *
 * The firmware builds nvtoken's default profile, `full`, whose target
 * defaults already leave out SHA-1, RSA encryption and the legacy
 * mechanisms; its keys are EC P-256 and RSA-2048 (tls-test.sh), so P-521
 * is left out too, and with it what nvtoken would ask of the firmware's
 * mbedTLS for that curve (src/crypto/nvt_crypto_config_check.h). A
 * firmware that needs less picks a smaller profile (include/nvtoken/
 * profiles/) and its configuration then owes nvtoken less.
 */
#ifndef TLS_CLIENT_NVTOKEN_CONFIG_H
#define TLS_CLIENT_NVTOKEN_CONFIG_H

#define NVT_CONFIG_MECH_EC_P521 0

#endif /* TLS_CLIENT_NVTOKEN_CONFIG_H */
