/**
 * \file nvt_test_certs.h
 * \brief Two X.509 certificates of the sizes the reference forum thread
 *        names: a 1.7 kB root CA (RSA-4096, 1726 bytes DER) and a 1.2 kB
 *        device certificate it issued (EC P-256 subject key, 1235 bytes).
 *        Valid DER, for tests that store and read certificates; the
 *        private keys are not kept.
 */
#ifndef NVT_TEST_CERTS_H
#define NVT_TEST_CERTS_H

#define NVT_TEST_ROOT_CA_LEN 1726
#define NVT_TEST_DEVICE_CERT_LEN 1235

extern const unsigned char nvt_test_root_ca[NVT_TEST_ROOT_CA_LEN];
extern const unsigned char nvt_test_device_cert[NVT_TEST_DEVICE_CERT_LEN];

#endif /* NVT_TEST_CERTS_H */
