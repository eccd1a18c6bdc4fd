# Build-wide options. The presets set them; a plain `cmake -S . -B b` gets the
# host defaults.

if(CMAKE_CROSSCOMPILING)
  set(NVT_TARGET "cortex-m4" CACHE STRING "What the build is for")
  set(_nvt_default_port qemu)
else()
  set(NVT_TARGET "host" CACHE STRING "What the build is for")
  set(_nvt_default_port posix)
endif()
set_property(CACHE NVT_TARGET PROPERTY STRINGS host cortex-m4)

# The port: what differs per platform (mutex, entropy, device key, image
# location). `none` leaves those functions to the firmware that links
# libnvtoken.a.
set(NVT_PORT "${_nvt_default_port}" CACHE STRING "Platform port: posix, qemu or none")
set_property(CACHE NVT_PORT PROPERTY STRINGS posix qemu none)

# Sanitizers for the whole host build (nvtoken, mbedTLS, cmocka, tests):
# a comma-separated -fsanitize= list, e.g. "address,undefined" or "thread".
set(NVT_SANITIZE "" CACHE STRING "Sanitizers for host builds (-fsanitize=...)")
if(NVT_SANITIZE)
  if(CMAKE_CROSSCOMPILING)
    message(FATAL_ERROR "NVT_SANITIZE is for host builds only")
  endif()
  add_compile_options(-fsanitize=${NVT_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${NVT_SANITIZE})
endif()

if(NOT CMAKE_CROSSCOMPILING)
  # The host module is a shared library that links the static parts.
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
endif()

# Compatibility layers for corePKCS11 users (src/compat/). The PAL is built
# with corePKCS11's own headers, from NVT_COREPKCS11_DIR (corePKCS11's
# repository root, with source/include): the project's test input in
# ../shared/thirdparty/corePKCS11 is looked for beside the repository (and
# beside a worktree's parent); without it the PAL and the tests that run
# corePKCS11 are left out.
set(_nvt_corepkcs11_default "")
foreach(dir "${PROJECT_SOURCE_DIR}/../shared/thirdparty/corePKCS11"
            "${PROJECT_SOURCE_DIR}/../../shared/thirdparty/corePKCS11")
  if(NOT _nvt_corepkcs11_default AND EXISTS "${dir}/source/include/core_pkcs11_pal.h")
    get_filename_component(_nvt_corepkcs11_default "${dir}" ABSOLUTE)
  endif()
endforeach()
set(NVT_COREPKCS11_DIR "${_nvt_corepkcs11_default}" CACHE PATH
    "corePKCS11 source tree (for the PAL compatibility layer and its tests)")
if(NVT_COREPKCS11_DIR AND EXISTS "${NVT_COREPKCS11_DIR}/source/include/core_pkcs11_pal.h")
  set(_nvt_have_corepkcs11 ON)
else()
  set(_nvt_have_corepkcs11 OFF)
endif()
option(NVT_COMPAT_COREPKCS11_PAL "corePKCS11's PAL (PKCS11_PAL_*) on nvtoken's store" ${_nvt_have_corepkcs11})
option(NVT_COMPAT_COREPKCS11_API "corePKCS11's application API (core_pkcs11.h) over nvtoken" ON)
if(NVT_COMPAT_COREPKCS11_PAL AND NOT _nvt_have_corepkcs11)
  message(FATAL_ERROR "NVT_COMPAT_COREPKCS11_PAL needs corePKCS11's headers: set NVT_COREPKCS11_DIR")
endif()
if(NOT _nvt_have_corepkcs11)
  message(STATUS "corePKCS11 not found (NVT_COREPKCS11_DIR): its PAL layer and tests are left out")
endif()
# The folder of the core_pkcs11_config.h nvtoken's corePKCS11 helpers are
# built with (their default PIN): a firmware names its own.
set(NVT_COREPKCS11_CONFIG_DIR "${PROJECT_SOURCE_DIR}/src/compat/corepkcs11_api/default_config" CACHE PATH
    "folder of the core_pkcs11_config.h the corePKCS11 API helpers use")
