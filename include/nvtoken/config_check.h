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
#if NVT_CONFIG_STORE_MAX_OBJECTS < 1 || NVT_CONFIG_STORE_MAX_OBJECTS > 65535
#error "NVT_CONFIG_STORE_MAX_OBJECTS must be 1 to 65535"
#endif
#if NVT_CONFIG_STORE_SCRATCH < 64
#error "NVT_CONFIG_STORE_SCRATCH must be at least NVT_STORE_SCRATCH_MIN (64)"
#endif

#endif /* NVTOKEN_CONFIG_CHECK_H */
