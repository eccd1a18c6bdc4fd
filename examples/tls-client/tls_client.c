/* examples/tls-client: a TLS 1.3 / 1.2 client on the QEMU mps2-an386
 * Cortex-M4 board whose client key is the token's private key, which never
 * leaves the token.
 *
 *   tls_client IMAGE PIN KEY_LABEL CA_LABEL VERSION SERVER_NAME
 *
 * IMAGE     the device's token image, made on the host by the factory tools
 *           (libnvtoken.so, pkcs11-tool): read at boot through semihosting
 *           into the board's flash region (a RAM flash simulator here);
 * PIN       the user PIN;
 * KEY_LABEL the private key's CKA_LABEL; the certificate is the one with
 *           the same CKA_ID;
 * CA_LABEL  the CKA_LABEL of the CA certificate the server's must chain to;
 * VERSION   1.3 or 1.2;
 * SERVER_NAME the name the server's certificate must carry.
 *
 * The transport is the board's UART 0, which QEMU connects to a TCP server
 * on the host (scripts/qemu-run, NVT_QEMU_SERIAL=tcp:127.0.0.1:PORT). After
 * the handshake the client sends one line, reads one line, and closes.
 * Everything it sees goes to the console; the exit status is 0 only if all
 * of it worked.
 *
 * One mbedTLS serves the TLS stack and nvtoken (config/, README.md). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/pk.h>
#include <mbedtls/psa_util.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "nvtoken/flash_ram.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/psa_key.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"
#include "qemu_board.h"
#include "semihosting.h"

/* The board's token region: 16 sectors of 2 KiB programmed 8 bytes at a
 * time (an STM32L4's flash pages), the geometry the factory makes the
 * image with. */
#define REGION_SECTOR_SIZE 2048u
#define REGION_SECTORS 16u
#define REGION_PROG_UNIT 8u
#define REGION_SIZE (REGION_SECTOR_SIZE * REGION_SECTORS)
#define REGION_OBJECTS 32u

#define TLS_UART 0u
#define TLS_TIMEOUT_MS 60000u
#define CERT_MAX 4096u

/* ---- The token on the board's flash region ------------------------------ */

static uint32_t flash_mem[NVT_FLASH_RAM_MEM_BYTES(REGION_SECTOR_SIZE, REGION_SECTORS, REGION_PROG_UNIT) / 4];
static uint8_t image[REGION_SIZE];
static nvt_flash_ram_t flash;
static nvt_store_t store;
static nvt_store_entry_t store_index[REGION_OBJECTS];
static nvt_store_sector_t store_sectors[REGION_SECTORS];
static uint8_t store_scratch[256];
static nvt_store_config_t store_cfg;
static nvt_token_slot_config_t slot_cfg;
static nvt_token_config_t token_cfg;

/* The image into the flash region, and the token told where it is. */
static int token_setup(const char *path)
{
    const nvt_flash_geometry_t geo = { REGION_SECTOR_SIZE, REGION_SECTORS, REGION_PROG_UNIT };
    size_t len = 0;
    if (nvt_semihost_read_file(path, image, sizeof(image), &len) != 0 || len != REGION_SIZE) {
        printf("token: cannot read a %u-byte image from %s\n", (unsigned)REGION_SIZE, path);
        return -1;
    }
    if (nvt_flash_ram_init(&flash, &geo, flash_mem, sizeof(flash_mem), NVT_FLASH_RAM_STRICT, 1) != NVT_OK ||
        nvt_flash_ram_load(&flash, image, len) != NVT_OK) {
        return -1;
    }
    store_cfg.flash = &flash.flash;
    store_cfg.index = store_index;
    store_cfg.index_len = sizeof(store_index);
    store_cfg.sectors = store_sectors;
    store_cfg.sectors_len = sizeof(store_sectors);
    store_cfg.scratch = store_scratch;
    store_cfg.scratch_len = sizeof(store_scratch);
    slot_cfg.store_cfg = &store_cfg;
    slot_cfg.store = &store;
    slot_cfg.description = "mps2-an386 flash region";
    token_cfg.slots = &slot_cfg;
    token_cfg.slot_count = 1;
    printf("token: image %s (%u sectors x %u KiB, %u-byte program unit) in the board's flash region\n", path,
           (unsigned)REGION_SECTORS, (unsigned)(REGION_SECTOR_SIZE / 1024), (unsigned)REGION_PROG_UNIT);
    return nvt_token_configure(&token_cfg) == NVT_OK ? 0 : -1;
}

/* The one object of class cls whose attribute type has value v. */
static CK_RV find_one(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, CK_ATTRIBUTE_TYPE type, const void *v, CK_ULONG n,
                      CK_OBJECT_HANDLE *h)
{
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { type, (void *)(uintptr_t)v, n } };
    CK_ULONG count = 0;
    CK_OBJECT_HANDLE found[2];
    CK_RV rv = C_FindObjectsInit(s, t, 2);
    if (rv == CKR_OK) {
        rv = C_FindObjects(s, found, 2, &count);
        CK_RV end = C_FindObjectsFinal(s);
        rv = rv != CKR_OK ? rv : end;
    }
    if (rv == CKR_OK && count != 1) {
        rv = CKR_OBJECT_HANDLE_INVALID;
    }
    if (rv == CKR_OK) {
        *h = found[0];
    }
    return rv;
}

/* A certificate object's DER, parsed into chain. */
static CK_RV load_cert(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, mbedtls_x509_crt *chain)
{
    static uint8_t der[CERT_MAX];
    CK_ATTRIBUTE v = { CKA_VALUE, der, sizeof(der) };
    CK_RV rv = C_GetAttributeValue(s, h, &v, 1);
    if (rv == CKR_OK && mbedtls_x509_crt_parse_der(chain, der, v.ulValueLen) != 0) {
        rv = CKR_GENERAL_ERROR;
    }
    return rv;
}

/* Whether the certificate's public key is the lent key's: the BIT STRING
 * of its SubjectPublicKeyInfo is what PSA exports as the key's public part
 * (RFC 5480: the EC point; RFC 8017: RSAPublicKey), which PSA gives for any
 * key pair, whatever its usage policy. */
static int cert_is_for_key(const mbedtls_x509_crt *cert, uint32_t key_id)
{
    static uint8_t pub[PSA_EXPORT_PUBLIC_KEY_MAX_SIZE];
    size_t pub_len = 0, n = 0;
    unsigned char *p = cert->pk_raw.p;
    const unsigned char *end = p + cert->pk_raw.len;
    mbedtls_asn1_bitstring bits;
    if (psa_export_public_key(mbedtls_svc_key_id_make(0, key_id), pub, sizeof(pub), &pub_len) != PSA_SUCCESS ||
        mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
        mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0) {
        return 0;
    }
    p += n; /* the algorithm */
    return mbedtls_asn1_get_bitstring(&p, end, &bits) == 0 && bits.unused_bits == 0 && bits.len == pub_len &&
           memcmp(bits.p, pub, pub_len) == 0;
}

/* ---- TLS over the UART --------------------------------------------------- */

static int uart_send(void *ctx, const unsigned char *buf, size_t len)
{
    (void)ctx;
    return nvt_qemu_uart_write(TLS_UART, buf, len) == 0 ? (int)len : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

static int uart_recv(void *ctx, unsigned char *buf, size_t len, uint32_t timeout_ms)
{
    (void)ctx;
    long n = nvt_qemu_uart_read(TLS_UART, buf, len, timeout_ms != 0 ? timeout_ms : TLS_TIMEOUT_MS);
    return n > 0 ? (int)n : n == 0 ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_SSL_INTERNAL_ERROR;
}

static int fail(const char *what, long code)
{
    printf("tls-client: FAILED: %s (-0x%04lx)\n", what, (unsigned long)(code < 0 ? -code : code));
    return 1;
}

typedef struct tls_client {
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt own_cert, ca;
    mbedtls_pk_context key;
} tls_client_t;

/* Handshake, one line each way, close. */
static int tls_exchange(tls_client_t *c, const char *version, const char *server_name, const char *key_label)
{
    int v13 = strcmp(version, "1.3") == 0;
    mbedtls_ssl_protocol_version pv = v13 ? MBEDTLS_SSL_VERSION_TLS1_3 : MBEDTLS_SSL_VERSION_TLS1_2;
    int ret = mbedtls_ssl_config_defaults(&c->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                          MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        return fail("TLS configuration", ret);
    }
    mbedtls_ssl_conf_min_tls_version(&c->conf, pv);
    mbedtls_ssl_conf_max_tls_version(&c->conf, pv);
    mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&c->conf, &c->ca, NULL);
    mbedtls_ssl_conf_rng(&c->conf, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
    if ((ret = mbedtls_ssl_conf_own_cert(&c->conf, &c->own_cert, &c->key)) != 0) {
        return fail("own certificate and key", ret);
    }
    if ((ret = mbedtls_ssl_setup(&c->ssl, &c->conf)) != 0 ||
        (ret = mbedtls_ssl_set_hostname(&c->ssl, server_name)) != 0) {
        return fail("TLS context", ret);
    }
    mbedtls_ssl_set_bio(&c->ssl, NULL, uart_send, NULL, uart_recv);
    if (nvt_qemu_uart_open(TLS_UART) != 0) {
        return fail("UART", 0);
    }
    while ((ret = mbedtls_ssl_handshake(&c->ssl)) != 0) {
        if (ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE) {
            uint32_t flags = mbedtls_ssl_get_verify_result(&c->ssl);
            printf("tls: server certificate verification flags 0x%08lx\n", (unsigned long)flags);
            return fail("handshake", ret);
        }
    }
    printf("tls: %s %s handshake done over UART %u\n", mbedtls_ssl_get_version(&c->ssl),
           mbedtls_ssl_get_ciphersuite(&c->ssl), (unsigned)TLS_UART);
    char dn[160];
    const mbedtls_x509_crt *peer = mbedtls_ssl_get_peer_cert(&c->ssl);
    if (mbedtls_ssl_get_verify_result(&c->ssl) != 0 || peer == NULL ||
        mbedtls_x509_dn_gets(dn, sizeof(dn), &peer->subject) < 0) {
        return fail("server certificate", 0);
    }
    printf("tls: server certificate %s verified against the token's CA, name %s\n", dn, server_name);

    char line[160];
    int n = snprintf(line, sizeof(line), "hello from the device: %s over TLS %s\n", key_label, version);
    for (int off = 0; off < n;) {
        ret = mbedtls_ssl_write(&c->ssl, (const unsigned char *)line + off, (size_t)(n - off));
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
            continue;
        }
        if (ret < 0) {
            return fail("write", ret);
        }
        off += ret;
    }
    printf("tls: sent     \"%.*s\"\n", n - 1, line);

    /* One line back (a TLS 1.3 server may send session tickets first). */
    size_t got = 0;
    while (got == 0 || line[got - 1] != '\n') {
        if (got == sizeof(line) - 1) {
            return fail("reply longer than a line", 0);
        }
        ret = mbedtls_ssl_read(&c->ssl, (unsigned char *)line + got, sizeof(line) - 1 - got);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE ||
            ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            continue;
        }
        if (ret <= 0) {
            return fail("read", ret);
        }
        got += (size_t)ret;
    }
    line[got - 1] = '\0';
    printf("tls: received \"%s\"\n", line);
    while ((ret = mbedtls_ssl_close_notify(&c->ssl)) == MBEDTLS_ERR_SSL_WANT_WRITE) {
    }
    if (ret != 0) {
        return fail("close", ret);
    }
    printf("tls: closed\n");
    return 0;
}

/* ---- The firmware -------------------------------------------------------- */

/* The board's heap (src/port/qemu/: mps2_an386.ld, syscalls.c). */
extern char nvt_qemu_heap_start[];
void *_sbrk(ptrdiff_t incr);

int main(int argc, char **argv)
{
    if (argc != 7) {
        printf("usage: %s IMAGE PIN KEY_LABEL CA_LABEL 1.3|1.2 SERVER_NAME\n", argv[0]);
        return 2;
    }
    const char *path = argv[1], *pin = argv[2], *key_label = argv[3], *ca_label = argv[4];
    const char *version = argv[5], *server_name = argv[6];
    if (strcmp(version, "1.3") != 0 && strcmp(version, "1.2") != 0) {
        return fail("version is 1.3 or 1.2", 0);
    }
    printf("tls-client: nvtoken on mps2-an386 (Cortex-M4), %s\n", MBEDTLS_VERSION_STRING_FULL);
    if (token_setup(path) != 0) {
        return fail("token setup", 0);
    }
    /* The token first: its C_Initialize binds the NV seed that PSA's
     * generator reads, then starts PSA (shared with TLS). */
    CK_RV rv = C_Initialize(NULL_PTR);
    if (rv != CKR_OK || psa_crypto_init() != PSA_SUCCESS) {
        return fail("C_Initialize, psa_crypto_init", (long)rv);
    }
    CK_SLOT_ID slot = 0;
    CK_ULONG nslots = 1;
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    CK_TOKEN_INFO ti;
    if ((rv = C_GetSlotList(CK_TRUE, &slot, &nslots)) != CKR_OK || nslots != 1 ||
        (rv = C_GetTokenInfo(slot, &ti)) != CKR_OK ||
        (rv = C_OpenSession(slot, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s)) != CKR_OK ||
        (rv = C_Login(s, CKU_USER, (CK_UTF8CHAR_PTR)(uintptr_t)pin, (CK_ULONG)strlen(pin))) != CKR_OK) {
        return fail("token, session, login", (long)rv);
    }
    int label_len = (int)sizeof(ti.label);
    while (label_len > 0 && ti.label[label_len - 1] == ' ') {
        label_len--; /* blank-padded */
    }
    printf("token: \"%.*s\" logged in\n", label_len, (const char *)ti.label);

    CK_OBJECT_HANDLE hkey, hcert, hca;
    uint8_t id[64];
    CK_ATTRIBUTE idattr = { CKA_ID, id, sizeof(id) };
    CK_KEY_TYPE kt = 0;
    CK_ATTRIBUTE ktattr = { CKA_KEY_TYPE, &kt, sizeof(kt) };
    if ((rv = find_one(s, CKO_PRIVATE_KEY, CKA_LABEL, key_label, (CK_ULONG)strlen(key_label), &hkey)) != CKR_OK ||
        (rv = C_GetAttributeValue(s, hkey, &idattr, 1)) != CKR_OK ||
        (rv = C_GetAttributeValue(s, hkey, &ktattr, 1)) != CKR_OK ||
        (rv = find_one(s, CKO_CERTIFICATE, CKA_ID, id, idattr.ulValueLen, &hcert)) != CKR_OK ||
        (rv = find_one(s, CKO_CERTIFICATE, CKA_LABEL, ca_label, (CK_ULONG)strlen(ca_label), &hca)) != CKR_OK) {
        return fail("key, its certificate, the CA certificate", (long)rv);
    }

    static tls_client_t c;
    mbedtls_ssl_init(&c.ssl);
    mbedtls_ssl_config_init(&c.conf);
    mbedtls_x509_crt_init(&c.own_cert);
    mbedtls_x509_crt_init(&c.ca);
    mbedtls_pk_init(&c.key);
    if ((rv = load_cert(s, hcert, &c.own_cert)) != CKR_OK || (rv = load_cert(s, hca, &c.ca)) != CKR_OK) {
        return fail("certificates", (long)rv);
    }

    /* The key: lent by the token as a PSA key that can only sign. */
    uint32_t key_id = 0;
    if ((rv = nvt_token_psa_key_lend(s, hkey, &key_id)) != CKR_OK) {
        return fail("nvt_token_psa_key_lend", (long)rv);
    }
    int ret = mbedtls_pk_setup_opaque(&c.key, mbedtls_svc_key_id_make(0, key_id));
    if (ret != 0) {
        return fail("mbedtls_pk_setup_opaque", ret);
    }
    printf("token: key \"%s\" (%s-%u) lent to PSA as key 0x%08lx; it never leaves the token\n", key_label,
           kt == CKK_EC ? "EC" : "RSA", (unsigned)mbedtls_pk_get_bitlen(&c.key), (unsigned long)key_id);
    if (!cert_is_for_key(&c.own_cert, key_id)) {
        return fail("the certificate is not for the token's key", 0);
    }
    char dn[160];
    if (mbedtls_x509_dn_gets(dn, sizeof(dn), &c.own_cert.subject) > 0) {
        printf("token: certificate %s (the key's CKA_ID) holds the key's public part\n", dn);
    }

    int status = tls_exchange(&c, version, server_name, key_label);

    mbedtls_ssl_free(&c.ssl);
    mbedtls_ssl_config_free(&c.conf);
    mbedtls_pk_free(&c.key); /* before the key goes back */
    mbedtls_x509_crt_free(&c.own_cert);
    mbedtls_x509_crt_free(&c.ca);
    if ((rv = nvt_token_psa_key_return(s)) != CKR_OK || (rv = C_Logout(s)) != CKR_OK ||
        (rv = C_CloseSession(s)) != CKR_OK || (rv = C_Finalize(NULL_PTR)) != CKR_OK) {
        return fail("key return, logout, C_Finalize", (long)rv);
    }
    /* PSA is the firmware's: nvtoken left it running (it destroyed its own
     * keys), and the firmware stops it. */
    uint8_t digest[32];
    size_t digest_len = 0;
    if (psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)"nvtoken", 7, digest, sizeof(digest), &digest_len) !=
        PSA_SUCCESS) {
        return fail("PSA stopped by C_Finalize", 0);
    }
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    if (psa_get_key_attributes(mbedtls_svc_key_id_make(0, key_id), &attr) != PSA_ERROR_INVALID_HANDLE) {
        return fail("the lent key outlived C_Finalize", 0);
    }
    printf("tls-client: after C_Finalize PSA still runs (the firmware's), the key 0x%08lx is gone\n",
           (unsigned long)key_id);
    mbedtls_psa_crypto_free();
    /* newlib's malloc takes memory from _sbrk and keeps it: how far the
     * break went is the heap's high-water mark (mbedTLS's record buffers,
     * certificates, big numbers). */
    printf("tls-client: heap high-water mark %ld bytes\n", (long)((char *)_sbrk(0) - nvt_qemu_heap_start));
    printf("tls-client: %s\n", status == 0 ? "done" : "FAILED");
    return status;
}
