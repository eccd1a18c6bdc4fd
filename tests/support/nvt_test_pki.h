/**
 * \file nvt_test_pki.h
 * \brief Key and certificate files for the host's PKI readers
 *        (src/crypto/nvt_crypto_pki.h): a P-256 CA's key and certificate
 *        and a device key, in PEM, made once with OpenSSL, and an encrypted
 *        key crafted to decrypt to no key. Test keys only.
 *        Used by unit_crypto_pki and by fuzz_pki's seed corpus (a file
 *        that includes it uses all three); the include directory is
 *        nvt_test_certs's.
 */
#ifndef NVT_TEST_PKI_H
#define NVT_TEST_PKI_H

#include <stdint.h>

/* A P-256 CA: `openssl req -x509 -newkey ec ... -subj "/CN=nvtoken unit
 * test CA" -addext basicConstraints=critical,CA:TRUE`. */
static const char test_ca_key[] = "-----BEGIN PRIVATE KEY-----\n"
                                  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgQwTK4sPXSn2JLUj/\n"
                                  "36s+TcKBUFnWpsxbiOjmIhdJqfWhRANCAAQWJUPYpb5Ap3w/n2SLbxcozn6d4odR\n"
                                  "qTnN8zDvJ/x/5iv46pWqczvccoaQwHVHpV9gyY4csWgoBS5vhj3EXVco\n"
                                  "-----END PRIVATE KEY-----\n";
static const char test_ca_cert[] = "-----BEGIN CERTIFICATE-----\n"
                                   "MIIBpTCCAUugAwIBAgIUY8pizD5qg8hXN2XLQ6jlzJZmI+EwCgYIKoZIzj0EAwIw\n"
                                   "HzEdMBsGA1UEAwwUbnZ0b2tlbiB1bml0IHRlc3QgQ0EwIBcNMjYxMjA3MDA0NzMx\n"
                                   "WhgPMjEyNjExMTMwMDQ3MzFaMB8xHTAbBgNVBAMMFG52dG9rZW4gdW5pdCB0ZXN0\n"
                                   "IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFiVD2KW+QKd8P59ki28XKM5+\n"
                                   "neKHUak5zfMw7yf8f+Yr+OqVqnM73HKGkMB1R6VfYMmOHLFoKAUub4Y9xF1XKKNj\n"
                                   "MGEwHQYDVR0OBBYEFAK6P4VZNju+sNsJOXzfAreOU/ojMB8GA1UdIwQYMBaAFAK6\n"
                                   "P4VZNju+sNsJOXzfAreOU/ojMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQD\n"
                                   "AgIEMAoGCCqGSM49BAMCA0gAMEUCIAZxii8bVTOQ1DvKV9FUO6HFAbJXiuOyXWu1\n"
                                   "viyzKcx0AiEAuWiTG6DrLr62Yx9G/03uoW3KcWIEeSyiedvzIvykSag=\n"
                                   "-----END CERTIFICATE-----\n";
/* A device key, SEC1 (`openssl ecparam -genkey -noout`). */
static const char test_device_key[] = "-----BEGIN EC PRIVATE KEY-----\n"
                                      "MHcCAQEEIK+GvWN18b3wZbc+UvbCedep6Gm6Fb+L6NHYA8rYu97goAoGCCqGSM49\n"
                                      "AwEHoUQDQgAEKVOcQrHYs8U8Z4SbnZweuQdu00cMWdtksuLqhKh3x6+EiEXOe7Mq\n"
                                      "fKEUdxY9uMiVuqOHHMql/Wp1mHlPrqjxOQ==\n"
                                      "-----END EC PRIVATE KEY-----\n";

/* An encrypted PKCS#8 key (PBES2: PBKDF2-HMAC-SHA256, one iteration, salt
 * 01..08; AES-128-CBC, IV 10..1f) whose one block is 15 bytes of 0x42 and
 * the padding byte 01, encrypted under the passphrase "wrong". Any other
 * passphrase leaves valid padding once in 256: this key is that case for
 * "wrong" - what decrypts is no key. */
static const uint8_t test_padded_garbage_der[] = {
        0x30, 0x6a, 0x30, 0x56, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
        0x01, 0x05, 0x0d, 0x30, 0x49, 0x30, 0x28, 0x06, 0x09, 0x2a, 0x86, 0x48,
        0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c, 0x30, 0x1b, 0x04, 0x08, 0x01, 0x02,
        0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x02, 0x01, 0x01, 0x30, 0x0c, 0x06,
        0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09, 0x05, 0x00, 0x30,
        0x1d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x02,
        0x04, 0x10, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19,
        0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x04, 0x10, 0x30, 0xf4, 0x93, 0xba,
        0xf7, 0x65, 0x9e, 0xb0, 0xb0, 0xc2, 0x5a, 0x3c, 0x5d, 0xf9, 0xee, 0x04,
};
static const char test_padded_garbage_pem[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                                              "MGowVgYJKoZIhvcNAQUNMEkwKAYJKoZIhvcNAQUMMBsECAECAwQFBgcIAgEBMAwG\n"
                                              "CCqGSIb3DQIJBQAwHQYJYIZIAWUDBAECBBAQERITFBUWFxgZGhscHR4fBBAw9JO6\n"
                                              "92WesLDCWjxd+e4E\n"
                                              "-----END ENCRYPTED PRIVATE KEY-----\n";

#endif /* NVT_TEST_PKI_H */
