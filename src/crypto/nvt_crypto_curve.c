/* The elliptic curves of the build: sizes and namedCurve OIDs (every
 * build, whichever engine computes on them). See nvt_crypto.h. */
#include "nvt_crypto.h"

#include <string.h>

/* The curves of the build: namedCurve OID, DER (tag, length, value; RFC
 * 5480), and size in bits. */
static const uint8_t oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
#if NVT_CONFIG_MECH_EC_P384
static const uint8_t oid_p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };
#endif
#if NVT_CONFIG_MECH_EC_P521
static const uint8_t oid_p521[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23 };
#endif

static const struct curve_info {
    nvt_crypto_curve_t curve;
    uint16_t bits;
    uint8_t oid_len;
    const uint8_t *oid;
} curves[] = {
    { NVT_CRYPTO_CURVE_P256, 256, sizeof(oid_p256), oid_p256 },
#if NVT_CONFIG_MECH_EC_P384
    { NVT_CRYPTO_CURVE_P384, 384, sizeof(oid_p384), oid_p384 },
#endif
#if NVT_CONFIG_MECH_EC_P521
    { NVT_CRYPTO_CURVE_P521, 521, sizeof(oid_p521), oid_p521 },
#endif
};

#define CURVES (sizeof(curves) / sizeof(curves[0]))

static const struct curve_info *curve_info(nvt_crypto_curve_t curve)
{
    for (size_t i = 0; i < CURVES; i++) {
        if (curves[i].curve == curve) {
            return &curves[i];
        }
    }
    return NULL;
}

size_t nvt_crypto_curve_bits(nvt_crypto_curve_t curve)
{
    const struct curve_info *c = curve_info(curve);
    return c != NULL ? c->bits : 0;
}

size_t nvt_crypto_curve_bytes(nvt_crypto_curve_t curve)
{
    return (nvt_crypto_curve_bits(curve) + 7u) / 8u;
}

nvt_crypto_curve_t nvt_crypto_curve_of_bits(size_t bits)
{
    for (size_t i = 0; i < CURVES; i++) {
        if (curves[i].bits == bits) {
            return curves[i].curve;
        }
    }
    return NVT_CRYPTO_CURVE_NONE;
}

nvt_crypto_curve_t nvt_crypto_curve_from_oid(const uint8_t *der, size_t len)
{
    for (size_t i = 0; der != NULL && i < CURVES; i++) {
        if (len == curves[i].oid_len && memcmp(der, curves[i].oid, len) == 0) {
            return curves[i].curve;
        }
    }
    return NVT_CRYPTO_CURVE_NONE;
}

const uint8_t *nvt_crypto_curve_oid(nvt_crypto_curve_t curve, size_t *len)
{
    const struct curve_info *c = curve_info(curve);
    *len = c != NULL ? c->oid_len : 0;
    return c != NULL ? c->oid : NULL;
}
