/**
 * \file factory.h
 * \brief What the factory-path test's PC (factory_pc.c) and QEMU device
 *        (device_boot.c) agree on: PINs, the key's label, the geometry.
 */
#ifndef NVT_FACTORY_H
#define NVT_FACTORY_H

#define FACTORY_GEOMETRY "4096x16x8"
#define FACTORY_SO_PIN "factory SO 3141"
#define FACTORY_USER_PIN "device user 2718"
#define FACTORY_KEY_LABEL "device key"
/** An AES key the PC provisions (sensitive): its first bytes must not be
 *  found in any image (tests/seal/factory.sh). */
#define FACTORY_AES "\x9e\x37\x79\xb9\x7f\x4a\x7c\x15\xf3\x9c\xc0\x60\x5c\xed\xc8\x34"

#endif /* NVT_FACTORY_H */
