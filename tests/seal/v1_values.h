/**
 * \file v1_values.h
 * \brief What the image written by the code of the last version before
 *        sealing holds (tests/seal/v1_mkimage.c writes it, test_seal_migration.c
 *        checks it after the current code has mounted and sealed it).
 */
#ifndef NVT_V1_VALUES_H
#define NVT_V1_VALUES_H

#define V1_GEOMETRY "4096x16x8"
#define V1_SO_PIN "v1 SO PIN 5150"
#define V1_USER_PIN "v1 user 8086"
#define V1_LABEL "written before sealing"
#define V1_PUBLIC_VALUE "a public data object of the v1 image"

/* AES-256, sensitive (checked through encryption); AES-128, readable. */
#define V1_AES256 "\x5c\x2e\x91\x07\xd4\x3a\x66\xb8\x10\xe3\x7f\x29\x84\xcb\x55\x0d" \
                  "\xa1\x48\xf6\x3c\x92\x0b\x7d\xe5\x61\xaf\x38\xc4\x1e\x9b\x70\x26"
#define V1_AES128 "\x3f\x86\x1b\xe0\x52\xc9\x74\x0a\xdd\x61\x98\x2b\xf3\x47\x0e\xb5"
#define V1_AES_LEN256 32
#define V1_AES_LEN128 16

#endif /* NVT_V1_VALUES_H */
