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

if(NVT_INTEROP_MODULE)
  set(_nvt_interop_module "${NVT_INTEROP_MODULE}")
elseif(NVT_SANITIZE)
  message(STATUS "Real-client suite: not registered (libnvtoken.so is sanitized here; "
                 "it runs in unsanitized builds, or set NVT_INTEROP_MODULE)")
  return()
else()
  set(_nvt_interop_module "$<TARGET_FILE:nvtoken_module>")
endif()

# --- One ctest test per client ------------------------------------------------
# name            script
set(_nvt_interop_clients
  "pkcs11_tool    pkcs11-tool.sh")
foreach(_c IN LISTS _nvt_interop_clients)
  string(REGEX REPLACE "^([^ ]+) +([^ ]+)$" "\\1;\\2" _c "${_c}")
  list(GET _c 0 _name)
  list(GET _c 1 _script)
  add_test(NAME interop_${_name}
           COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/${_script}")
  set_tests_properties(interop_${_name} PROPERTIES
    ENVIRONMENT "NVT_INTEROP_MODULE=${_nvt_interop_module}"
    TIMEOUT 600
    LABELS "${NVT_TARGET};interop")
endforeach()
