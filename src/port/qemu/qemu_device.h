/**
 * \file qemu_device.h
 * \brief The QEMU reference board's device identity (src/port/qemu/
 *        port_device.c), set by the board's start-up from its command line
 *        before main() runs.
 */
#ifndef NVT_QEMU_DEVICE_H
#define NVT_QEMU_DEVICE_H

/**
 * \brief Give the board its unique id (`--nvt-uid=HEX`): up to
 *        NVT_PORT_DEVICE_UID_MAX bytes as hex digits.
 * \return NVT_OK, or NVT_E_INVALID (nothing changed).
 */
int nvt_qemu_device_set_uid(const char *hex);

/**
 * \brief Replace the board's factory secret (`--nvt-factory-secret=HEX`,
 *        64 hex digits).
 * \return NVT_OK, or NVT_E_INVALID (nothing changed).
 */
int nvt_qemu_device_set_secret(const char *hex);

#endif /* NVT_QEMU_DEVICE_H */
