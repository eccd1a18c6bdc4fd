/**
 * \file config_check.h
 * \brief Compile-time checks of nvtoken's configuration (included by
 *        config.h after the defaults; do not include directly).
 */
#ifndef NVTOKEN_CONFIG_CHECK_H
#define NVTOKEN_CONFIG_CHECK_H

#if NVT_CONFIG_STORE_WEAR_GAP < 0
#error "NVT_CONFIG_STORE_WEAR_GAP must be 0 (off) or a positive erase-count gap"
#endif

#endif /* NVTOKEN_CONFIG_CHECK_H */
