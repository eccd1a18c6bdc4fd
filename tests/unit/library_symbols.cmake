# library_symbols.cmake - every global symbol libnvtoken.a defines is
# nvtoken's own: nvt_*, the token layer's tok / tok_*, the PKCS#11 layer's
# p11_*, the PKCS#11 entry points C_*, and the mbedTLS hooks nvtoken
# implements (mbedtls_hardware_poll, with NVT_CONFIG_CRYPTO_TRNG; and PSA's
# generator, mbedtls_psa_external_get_random, with NVT_CONFIG_CRYPTO_PSA 0). No
# mbedTLS or PSA code is in it, so a firmware links its own mbedTLS beside
# it without duplicate symbols (examples/tls-client/README.md).
#
#   cmake -DNM=<nm> -DLIB=<libnvtoken.a> -P library_symbols.cmake
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND "${NM}" -g --defined-only "${LIB}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} ${LIB}: ${err}")
endif()
string(REPLACE "\n" ";" lines "${out}")
set(total 0)
set(foreign "")
foreach(line IN LISTS lines)
  # "<address> <type> <name>" for a defined symbol.
  if(line MATCHES "^[0-9a-fA-F]+ [A-Za-z] (.+)$")
    set(name "${CMAKE_MATCH_1}")
    math(EXPR total "${total} + 1")
    # Names starting with "__" are the compiler's (ASan's __odr_asan.*).
    if(NOT name MATCHES "^(nvt_|tok_|p11_|C_|__)" AND NOT name STREQUAL "tok" AND
       NOT name STREQUAL "mbedtls_hardware_poll" AND NOT name STREQUAL "mbedtls_psa_external_get_random")
      list(APPEND foreign "${name}")
    endif()
  endif()
endforeach()
if(total EQUAL 0)
  message(FATAL_ERROR "${LIB}: no symbols found")
endif()
if(foreign)
  list(LENGTH foreign n)
  string(REPLACE ";" " " f "${foreign}")
  message(FATAL_ERROR "${LIB} defines ${n} symbols that are not nvtoken's: ${f}")
endif()
message(STATUS "${LIB}: ${total} global symbols, all nvtoken's (nvt_, tok, p11_, C_, mbedtls_hardware_poll, mbedtls_psa_external_get_random)")
