# The real-client suite (issue 6): PKCS#11 clients from Debian packages, each
# driven by one script in this folder against one PKCS#11 module on a fresh
# token. Included by tests/interop/CMakeLists.txt; host builds only.
#
#   NVT_INTEROP_MODULE  the module under test; empty (the default) means this
#                       build's libnvtoken.so. Point it at another module to
#                       validate the suite itself, e.g.
#                       -DNVT_INTEROP_MODULE=/usr/lib/softhsm/libsofthsm2.so
#
# The clients are ordinary Debian programs and cannot load a module built
# with AddressSanitizer (see docs/COMPATIBILITY.md), so a sanitized build
# (the host preset) registers the suite only when NVT_INTEROP_MODULE names a
# module; `make test` runs it against libnvtoken.so in the host-clang build.
#
# The scripts share tests/interop/lib/common.sh (fresh token, sanitizer
# runtime, counting) and the skip list in docs/COMPATIBILITY.md. See
# docs/COMPATIBILITY.md for how to run them by hand.
if(CMAKE_CROSSCOMPILING)
  return()
endif()

set(NVT_INTEROP_MODULE "" CACHE FILEPATH
    "PKCS#11 module the real-client suite tests (empty: this build's libnvtoken.so)")
set(NVT_OPENSC_DIR "${PROJECT_SOURCE_DIR}/deps/opensc" CACHE PATH
    "OpenSC source tree for p11test (fetched by scripts/setup)")

if(NVT_INTEROP_MODULE)
  set(_nvt_interop_module "${NVT_INTEROP_MODULE}")
elseif(NVT_SANITIZE)
  message(STATUS "Real-client suite: not registered (libnvtoken.so is sanitized here; "
                 "it runs in unsanitized builds, or set NVT_INTEROP_MODULE)")
  return()
else()
  set(_nvt_interop_module "$<TARGET_FILE:nvtoken_module>")
endif()

# --- OpenSC's p11test, built from Debian's opensc source package -----------
# Third-party code: its own flags, no -Werror, and - like every other client
# of the suite - no sanitizers, even in a sanitized build.
set(_p11test_dir "${NVT_OPENSC_DIR}/src/tests/p11test")
if(NOT EXISTS "${_p11test_dir}/p11test.c")
  message(FATAL_ERROR "OpenSC source not found in ${NVT_OPENSC_DIR}: run scripts/setup")
endif()
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
find_path(NVT_CMOCKA_SYSTEM_INCLUDE cmocka.h)
find_library(NVT_CMOCKA_SYSTEM_LIBRARY cmocka)
if(NOT NVT_CMOCKA_SYSTEM_INCLUDE OR NOT NVT_CMOCKA_SYSTEM_LIBRARY)
  message(FATAL_ERROR "Debian's libcmocka-dev is needed for p11test: run scripts/setup")
endif()

file(STRINGS "${NVT_OPENSC_DIR}/.nvt-source" _opensc_source LIMIT_COUNT 1)
string(REGEX REPLACE "^[^ ]+ ([^ ]+).*" "\\1" _opensc_version "${_opensc_source}")
set(_p11test_config "${CMAKE_CURRENT_BINARY_DIR}/p11test-config")
file(WRITE "${_p11test_config}/config.h.in"
  "/* Written by tests/interop/clients.cmake for OpenSC's p11test. */\n"
  "#define ENABLE_OPENSSL 1\n"
  "#define PACKAGE_NAME \"opensc\"\n"
  "#define PACKAGE_VERSION \"@_opensc_version@\"\n"
  "#define VERSION \"@_opensc_version@\"\n")
configure_file("${_p11test_config}/config.h.in" "${_p11test_config}/config.h" @ONLY)

file(GLOB _p11test_sources CONFIGURE_DEPENDS "${_p11test_dir}/*.c")
add_executable(nvt_p11test ${_p11test_sources})
set_target_properties(nvt_p11test PROPERTIES
  OUTPUT_NAME p11test
  C_STANDARD 99 C_EXTENSIONS ON
  COMPILE_OPTIONS "-w"
  LINK_OPTIONS "")
target_include_directories(nvt_p11test SYSTEM PRIVATE
  "${_p11test_config}" "${NVT_OPENSC_DIR}/src" "${NVT_CMOCKA_SYSTEM_INCLUDE}")
target_compile_definitions(nvt_p11test PRIVATE HAVE_CONFIG_H=1)
target_link_libraries(nvt_p11test PRIVATE OpenSSL::Crypto
                      "${NVT_CMOCKA_SYSTEM_LIBRARY}" ${CMAKE_DL_LIBS})

# --- One ctest test per client ------------------------------------------------
# name            script
set(_nvt_interop_clients
  "pkcs11_tool    pkcs11-tool.sh"
  "p11test        p11test.sh"
  "gnutls         gnutls.sh"
  "p11tool_test_sign p11tool-test-sign.sh"
  "openssl        openssl.sh"
  "pykcs11        pykcs11.sh"
  "p11kit         p11-kit.sh")
foreach(_c IN LISTS _nvt_interop_clients)
  string(REGEX REPLACE "^([^ ]+) +([^ ]+)$" "\\1;\\2" _c "${_c}")
  list(GET _c 0 _name)
  list(GET _c 1 _script)
  add_test(NAME interop_${_name}
           COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/${_script}")
  set_tests_properties(interop_${_name} PROPERTIES
    ENVIRONMENT "NVT_INTEROP_MODULE=${_nvt_interop_module};NVT_P11TEST=$<TARGET_FILE:nvt_p11test>"
    TIMEOUT 600
    LABELS "${NVT_TARGET};interop")
endforeach()
