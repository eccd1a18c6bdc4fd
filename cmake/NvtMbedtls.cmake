# mbedTLS 3.6 LTS: one per program, in one of two ways.
#
# 1. nvtoken's own (the default): built from the Debian source package that
#    scripts/setup unpacked into deps/mbedtls (unpatched), configured only
#    through nvtoken's config headers in src/crypto/config/ - one for the
#    host, one trimmed for the target. The host module, the tools and every
#    test use it.
# 2. The firmware's (NVT_MBEDTLS_TARGET): a firmware that has an mbedTLS of
#    its own - for TLS, say - names the CMake target of its crypto library
#    (mbedcrypto, as mbedTLS's own CMake makes it, or any target that carries
#    mbedTLS's include directories and its MBEDTLS_CONFIG_FILE definitions)
#    before add_subdirectory(nvtoken). nvtoken then builds no mbedTLS at all:
#    its crypto layer compiles against that configuration, which must give
#    what src/crypto/nvt_crypto_config_check.h lists (else the build stops
#    with an #error naming the missing option), and libnvtoken links that
#    target. PSA is then shared (NVT_CONFIG_CRYPTO_PSA_SHARED).
#    examples/tls-client/ is such a firmware; its README says how to write
#    the configuration ("mbedTLS in your firmware").
#
# Provides: nvt_mbedtls_headers (mbedTLS's headers and configuration without
# a link dependency, for the crypto layer's objects and for tests),
# NVT_MBEDTLS_CRYPTO (the crypto library target) and NVT_MBEDTLS_LIBS (what
# libnvtoken links), NVT_MBEDTLS_BUNDLED (1 in the first case).

set(NVT_MBEDTLS_TARGET "" CACHE STRING
    "The firmware's own mbedTLS crypto library target; empty: nvtoken builds its own from deps/mbedtls")

if(NVT_MBEDTLS_TARGET)
  if(NOT TARGET "${NVT_MBEDTLS_TARGET}")
    message(FATAL_ERROR "NVT_MBEDTLS_TARGET is '${NVT_MBEDTLS_TARGET}', which is no target: "
                        "define your mbedTLS before add_subdirectory(nvtoken)")
  endif()
  set(NVT_MBEDTLS_BUNDLED 0)
  # The firmware calls PSA itself: keys go through PSA in every profile
  # (NVT_CONFIG_CRYPTO_PSA, include/nvtoken/config.h), in every layer.
  add_compile_definitions(NVT_CONFIG_CRYPTO_PSA=1)
  # An alias cannot be changed; the target it names can.
  get_target_property(_nvt_aliased "${NVT_MBEDTLS_TARGET}" ALIASED_TARGET)
  if(_nvt_aliased)
    set(NVT_MBEDTLS_CRYPTO "${_nvt_aliased}")
  else()
    set(NVT_MBEDTLS_CRYPTO "${NVT_MBEDTLS_TARGET}")
  endif()
  set(NVT_MBEDTLS_LIBS "${NVT_MBEDTLS_CRYPTO}")
  message(STATUS "mbedTLS: the firmware's (${NVT_MBEDTLS_TARGET}); nvtoken builds none")
else()
  set(NVT_MBEDTLS_BUNDLED 1)
  set(NVT_MBEDTLS_DIR "${PROJECT_SOURCE_DIR}/deps/mbedtls" CACHE PATH
      "mbedTLS 3.6 source tree (fetched by scripts/setup)")
  if(NOT EXISTS "${NVT_MBEDTLS_DIR}/include/mbedtls/build_info.h")
    message(FATAL_ERROR "mbedTLS source not found in ${NVT_MBEDTLS_DIR}: run scripts/setup")
  endif()
  file(STRINGS "${NVT_MBEDTLS_DIR}/include/mbedtls/build_info.h" _nvt_mbedtls_ver
       REGEX "^#define MBEDTLS_VERSION_STRING ")
  string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" NVT_MBEDTLS_VERSION "${_nvt_mbedtls_ver}")
  if(NOT NVT_MBEDTLS_VERSION MATCHES "^3\\.6\\.")
    message(FATAL_ERROR "nvtoken needs mbedTLS 3.6 LTS, ${NVT_MBEDTLS_DIR} is ${NVT_MBEDTLS_VERSION}")
  endif()
  message(STATUS "mbedTLS ${NVT_MBEDTLS_VERSION} from ${NVT_MBEDTLS_DIR}")

  if(NVT_TARGET STREQUAL "host")
    set(_nvt_mbedtls_profile host)
  else()
    set(_nvt_mbedtls_profile target)
  endif()
  set(NVT_MBEDTLS_CONFIG_DIR "${PROJECT_SOURCE_DIR}/src/crypto/config")

  set(ENABLE_PROGRAMS OFF CACHE BOOL "" FORCE)
  set(ENABLE_TESTING OFF CACHE BOOL "" FORCE)
  set(GEN_FILES OFF CACHE BOOL "" FORCE)
  set(USE_STATIC_MBEDTLS_LIBRARY ON CACHE BOOL "" FORCE)
  set(USE_SHARED_MBEDTLS_LIBRARY OFF CACHE BOOL "" FORCE)
  set(DISABLE_PACKAGE_CONFIG_AND_INSTALL ON CACHE BOOL "" FORCE)
  set(INSTALL_MBEDTLS_HEADERS OFF CACHE BOOL "" FORCE)
  set(MBEDTLS_CONFIG_FILE "${NVT_MBEDTLS_CONFIG_DIR}/mbedtls_${_nvt_mbedtls_profile}.h"
      CACHE FILEPATH "" FORCE)

  # mbedTLS chooses its own flags per CMAKE_BUILD_TYPE; keep ours for nvtoken.
  add_subdirectory("${NVT_MBEDTLS_DIR}" "${CMAKE_BINARY_DIR}/deps/mbedtls" EXCLUDE_FROM_ALL)

  # The PSA config (PSA_WANT_*) sits beside the mbedTLS config; every target
  # that compiles against the config must find it (mbedTLS's 3rdparty parts too).
  # The config reads nvtoken's own configuration header (include/nvtoken/config.h)
  # so that PSA holds exactly the algorithms the token's mechanisms use.
  target_include_directories(mbedcrypto PUBLIC $<BUILD_INTERFACE:${NVT_MBEDTLS_CONFIG_DIR}>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>)
  foreach(t everest p256m)
    if(TARGET ${t})
      target_include_directories(${t} PRIVATE "${NVT_MBEDTLS_CONFIG_DIR}" "${PROJECT_SOURCE_DIR}/include")
    endif()
  endforeach()
  # A profile with no key derivation algorithm (nvtoken's ECDH is raw key
  # agreement) leaves a branch of psa_key_derivation_setup() unreachable, which
  # mbedTLS's own clang flags (-Wunreachable-code with -Werror) refuse.
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    target_compile_options(mbedcrypto PRIVATE -Wno-unreachable-code)
  endif()
  set(NVT_MBEDTLS_CRYPTO mbedcrypto)
  set(NVT_MBEDTLS_LIBS mbedx509 mbedcrypto)
endif()

# mbedTLS's headers and config without a link dependency, for the crypto
# layer's objects (libnvtoken links the libraries themselves).
add_library(nvt_mbedtls_headers INTERFACE)
target_include_directories(nvt_mbedtls_headers SYSTEM INTERFACE
  $<TARGET_PROPERTY:${NVT_MBEDTLS_CRYPTO},INTERFACE_INCLUDE_DIRECTORIES>)
target_compile_definitions(nvt_mbedtls_headers INTERFACE
  $<TARGET_PROPERTY:${NVT_MBEDTLS_CRYPTO},INTERFACE_COMPILE_DEFINITIONS>)
# p256-m's own header, for the build that calls it without PSA
# (NVT_CONFIG_CRYPTO_PSA 0, src/crypto/nvt_crypto_p256m.c).
if(TARGET p256m)
  target_include_directories(nvt_mbedtls_headers SYSTEM INTERFACE
    $<TARGET_PROPERTY:p256m,INTERFACE_INCLUDE_DIRECTORIES>)
endif()
