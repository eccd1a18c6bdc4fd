# mbedtls_config_check.cmake - nvtoken's requirements on an mbedTLS
# configuration (src/crypto/nvt_crypto_config_check.h) refuse every
# configuration that lacks one of them, at compile time.
#
#   cmake -DCC=<compiler> -DFLAGS=<-I/-D flags, |-separated> -DCHECK=<the check header>
#         -DNAME=<what configuration> -DWORK=<scratch dir> -P mbedtls_config_check.cmake
#
# FLAGS are those the crypto layer compiles with (mbedTLS's include
# directories and MBEDTLS_CONFIG_FILE), separated by '|'. First the configuration as it is
# must pass. Then, for every requirement the check header names (each
# `!defined(NAME)` on an #if line) that this configuration defines, a
# compile with that one option removed (#undef in MBEDTLS_USER_CONFIG_FILE,
# or MBEDTLS_PSA_CRYPTO_USER_CONFIG_FILE for PSA_WANT_*) must fail with an
# "#error "nvtoken needs ..." naming it. An option mbedTLS defines again by itself
# after the #undef (its config_adjust headers) cannot be removed, and is
# reported as such; a requirement the configuration does not define is
# one its nvtoken options switch off (it passed the first compile). Then
# the value checks: too few key slots, too small big numbers (with RSA), another NV
# seed hook, owner-encoded key ids.
cmake_minimum_required(VERSION 3.25)
foreach(v CC FLAGS CHECK NAME WORK)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "mbedtls_config_check: -D${v}=... missing")
  endif()
endforeach()
string(REPLACE "|" ";" FLAGS "${FLAGS}")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
get_filename_component(_check_dir "${CHECK}" DIRECTORY)
get_filename_component(_check_name "${CHECK}" NAME)

file(STRINGS "${CHECK}" _lines REGEX "^#if.*!defined\\([A-Z0-9_]+\\)")
set(names "")
foreach(line IN LISTS _lines)
  string(REGEX MATCHALL "!defined\\([A-Z0-9_]+\\)" _m "${line}")
  foreach(m IN LISTS _m)
    string(REGEX REPLACE "!defined\\(([A-Z0-9_]+)\\)" "\\1" n "${m}")
    list(APPEND names "${n}")
  endforeach()
endforeach()
list(REMOVE_DUPLICATES names)
list(LENGTH names n_names)

# compile(<tu text> <mbedtls user config> <psa user config> <out var> <rc var>)
function(compile text user psa_user out_var rc_var)
  string(MD5 tag "${text}${user}${psa_user}")
  set(dir "${WORK}/${tag}")
  file(MAKE_DIRECTORY "${dir}")
  file(WRITE "${dir}/tu.c" "${text}")
  set(defs "")
  if(NOT user STREQUAL "")
    file(WRITE "${dir}/user.h" "${user}")
    list(APPEND defs "-DMBEDTLS_USER_CONFIG_FILE=\"${dir}/user.h\"")
  endif()
  if(NOT psa_user STREQUAL "")
    file(WRITE "${dir}/psa_user.h" "${psa_user}")
    list(APPEND defs "-DMBEDTLS_PSA_CRYPTO_USER_CONFIG_FILE=\"${dir}/psa_user.h\"")
  endif()
  execute_process(COMMAND "${CC}" -std=c11 -fsyntax-only ${FLAGS} "-I${_check_dir}" ${defs} "${dir}/tu.c"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE o ERROR_VARIABLE e)
  set(${out_var} "${o}${e}" PARENT_SCOPE)
  set(${rc_var} ${rc} PARENT_SCOPE)
endfunction()

set(_head "#include <psa/crypto.h>\n")
set(_tail "#include \"${_check_name}\"\n")

# 1. As it is: passes; and which requirements it defines.
set(probe "${_head}#include \"nvtoken/config.h\"\n#if NVT_CONFIG_MECH_RSA\n#pragma message \"NVT_HAS_RSA\"\n#endif\n#if NVT_CONFIG_CRYPTO_PSA\n#pragma message \"NVT_HAS_PSA_KEYS\"\n#endif\n")
foreach(n IN LISTS names)
  string(APPEND probe "#if defined(${n})\n#pragma message \"NVT_DEFINED ${n}\"\n#endif\n")
endforeach()
compile("${probe}${_tail}" "" "" out rc)
set(out_as_is "${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NAME}: the configuration as it is does not pass nvtoken's check:\n${out}")
endif()
set(defined "")
foreach(n IN LISTS names)
  if(out MATCHES "NVT_DEFINED ${n}[^A-Z0-9_]")
    list(APPEND defined "${n}")
  endif()
endforeach()

# 2. Each defined requirement removed alone.
set(refused 0)
set(kept "")
set(failures "")
foreach(n IN LISTS defined)
  set(undef "#undef ${n}\n")
  if(n MATCHES "^PSA_WANT_")
    set(user "")
    set(psa_user "${undef}")
  else()
    set(user "${undef}")
    set(psa_user "")
  endif()
  compile("${_head}#if defined(${n})\n#error NVT_STILL_DEFINED\n#endif\n${_tail}" "${user}" "${psa_user}" out rc)
  if(out MATCHES "NVT_STILL_DEFINED")
    list(APPEND kept "${n}")
  elseif(NOT rc EQUAL 0 AND out MATCHES "nvtoken needs [^\"\n]*${n}[^A-Z0-9_]")
    math(EXPR refused "${refused} + 1")
  else()
    list(APPEND failures "${n} removed: compile status ${rc}, no \"nvtoken needs ...${n}\" error")
  endif()
endforeach()

# 3. Values.
set(values
  "MBEDTLS_PSA_CRYPTO_KEY_ID_ENCODES_OWNER|#define MBEDTLS_PSA_CRYPTO_KEY_ID_ENCODES_OWNER\n")
if(out_as_is MATCHES "NVT_HAS_PSA_KEYS") # PSA's key slots matter where keys go through PSA only
  list(APPEND values "MBEDTLS_PSA_KEY_SLOT_COUNT|#undef MBEDTLS_PSA_KEY_STORE_DYNAMIC\n#define MBEDTLS_PSA_KEY_SLOT_COUNT 2\n")
endif()
if(out_as_is MATCHES "NVT_HAS_RSA") # the big numbers' size matters with RSA only
  list(APPEND values "MBEDTLS_MPI_MAX_SIZE|#undef MBEDTLS_MPI_MAX_SIZE\n#define MBEDTLS_MPI_MAX_SIZE 256\n")
endif()
if("MBEDTLS_PLATFORM_NV_SEED_READ_MACRO" IN_LIST defined)
  list(APPEND values
    "MBEDTLS_PLATFORM_NV_SEED_READ_MACRO|#undef MBEDTLS_PLATFORM_NV_SEED_READ_MACRO\n#define MBEDTLS_PLATFORM_NV_SEED_READ_MACRO my_seed_read\n"
    "MBEDTLS_PLATFORM_NV_SEED_WRITE_MACRO|#undef MBEDTLS_PLATFORM_NV_SEED_WRITE_MACRO\n#define MBEDTLS_PLATFORM_NV_SEED_WRITE_MACRO my_seed_write\n")
endif()
set(values_refused 0)
foreach(v IN LISTS values)
  string(REPLACE "|" ";" parts "${v}")
  list(GET parts 0 n)
  list(GET parts 1 user)
  compile("${_head}${_tail}" "${user}" "" out rc)
  if(NOT rc EQUAL 0 AND out MATCHES "nvtoken needs ${n}[^A-Z0-9_]")
    math(EXPR values_refused "${values_refused} + 1")
  else()
    string(REPLACE "\n" " " shown "${user}")
    list(APPEND failures "${shown}: compile status ${rc}, no \"nvtoken needs ${n}\" error")
  endif()
endforeach()

list(LENGTH defined n_defined)
math(EXPR n_off "${n_names} - ${n_defined}")
list(LENGTH values n_values)
set(not_defined "${names}")
list(REMOVE_ITEM not_defined ${defined})
message(STATUS "${NAME}: ${n_names} options named by nvtoken's check; the configuration passes")
message(STATUS "${NAME}: ${refused} of ${n_defined} it defines refused alone with nvtoken's #error")
if(kept)
  string(REPLACE ";" ", " kept_s "${kept}")
  message(STATUS "${NAME}: defined again by mbedTLS itself when removed: ${kept_s}")
endif()
if(n_off GREATER 0)
  string(REPLACE ";" ", " off_s "${not_defined}")
  message(STATUS "${NAME}: not required by this configuration's nvtoken options: ${off_s}")
endif()
message(STATUS "${NAME}: ${values_refused} of ${n_values} wrong values refused")
if(failures)
  string(REPLACE ";" "\n  " f "${failures}")
  message(FATAL_ERROR "${NAME}: requirements not enforced:\n  ${f}")
endif()
