# Proves that the p11-kit header comparison actually catches mistakes.
#
# Run with cmake -P.  For three copies of nvtoken/pkcs11.h it compiles
# pkcs11_header_check.c (with the generated p11kit_facts.h):
#
#   unmodified          -> must compile
#   DELETE_NAME removed -> must fail, every error naming DELETE_NAME
#   CHANGE_NAME altered -> must fail, every error naming CHANGE_NAME
#
# Required -D inputs:
#   CC          C compiler (the build's CMAKE_C_COMPILER)
#   HEADER      path of the real include/nvtoken/pkcs11.h
#   CHECK_SRC   path of tests/header/pkcs11_header_check.c
#   FACTS_DIR   directory holding the generated p11kit_facts.h
#   WORK_DIR    scratch directory (recreated)
# Optional:
#   DELETE_NAME constant whose #define line is deleted (CKM_SHA256_HMAC)
#   CHANGE_NAME constant whose value is changed        (CKA_LABEL)

foreach(var CC HEADER CHECK_SRC FACTS_DIR WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "mutate_check.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED DELETE_NAME)
  set(DELETE_NAME CKM_SHA256_HMAC)
endif()
if(NOT DEFINED CHANGE_NAME)
  set(CHANGE_NAME CKA_LABEL)
endif()
if(NOT EXISTS "${FACTS_DIR}/p11kit_facts.h")
  message(FATAL_ERROR "${FACTS_DIR}/p11kit_facts.h is missing: build first")
endif()

# Same flags as the pkcs11_header_check target.
set(CFLAGS -std=c11 -Wall -Wextra -Werror -pedantic)

file(REMOVE_RECURSE "${WORK_DIR}")
file(READ "${HEADER}" original)

# Writes TEXT as <WORK_DIR>/<case>/nvtoken/pkcs11.h, compiles the check
# against it and stores the exit code and combined output in
# <case>_rc / <case>_out in the caller's scope.
function(compile_case case text)
  set(dir "${WORK_DIR}/${case}")
  file(WRITE "${dir}/nvtoken/pkcs11.h" "${text}")
  execute_process(
    COMMAND "${CC}" ${CFLAGS} "-I${dir}" "-I${FACTS_DIR}"
            -c "${CHECK_SRC}" -o "${dir}/check.o"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
  set(${case}_rc "${rc}" PARENT_SCOPE)
  set(${case}_out "${out}" PARENT_SCOPE)
endfunction()

# A mutated compile must fail, and fail only because of NAME: at least one
# diagnostic, and every "error:" line mentions NAME and the reason.
function(expect_failure case name reason)
  if("${${case}_rc}" EQUAL 0)
    message(FATAL_ERROR
      "[${case}] the check compiled although ${name} was mutated")
  endif()
  string(REGEX MATCHALL "[^\n]*error:[^\n]*" errors "${${case}_out}")
  list(LENGTH errors n)
  if(n EQUAL 0)
    message(FATAL_ERROR "[${case}] compiler failed without an error line:\n"
                        "${${case}_out}")
  endif()
  foreach(e IN LISTS errors)
    if(NOT e MATCHES "${name}: [^\n]*${reason}")
      message(FATAL_ERROR "[${case}] unexpected error (want '${name}: ..."
                          "${reason}'):\n${e}\n\nfull output:\n${${case}_out}")
    endif()
  endforeach()
  message(STATUS "[${case}] failed as expected (${n} error(s)):")
  foreach(e IN LISTS errors)
    message(STATUS "    ${e}")
  endforeach()
endfunction()

# Regular expression for the line "#define NAME <value>" (value captured).
macro(define_line_regex out name)
  set(${out} "\n[ \t]*#[ \t]*define[ \t]+${name}[ \t]+([^\n]*)")
endmacro()

# --- 0: unmodified copy must compile -------------------------------------
compile_case(pristine "${original}")
if(NOT pristine_rc EQUAL 0)
  message(FATAL_ERROR "[pristine] the unmodified header does not pass the "
                      "check:\n${pristine_out}")
endif()
message(STATUS "[pristine] unmodified header compiles")

# --- 1: delete the definition of DELETE_NAME -----------------------------
define_line_regex(re "${DELETE_NAME}")
string(REGEX MATCHALL "${re}" hits "${original}")
list(LENGTH hits n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected exactly one #define of ${DELETE_NAME} in "
                      "${HEADER}, found ${n}")
endif()
string(REGEX REPLACE "${re}" "\n/* ${DELETE_NAME} deleted by mutate_check */"
       deleted "${original}")
compile_case(deleted "${deleted}")
expect_failure(deleted "${DELETE_NAME}" "missing")

# --- 2: change the value of CHANGE_NAME ----------------------------------
define_line_regex(re "${CHANGE_NAME}")
string(REGEX MATCHALL "${re}" hits "${original}")
list(LENGTH hits n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected exactly one #define of ${CHANGE_NAME} in "
                      "${HEADER}, found ${n}")
endif()
string(REGEX REPLACE "${re}" "\n#define ${CHANGE_NAME} ((\\1) + 1UL)"
       changed "${original}")
compile_case(changed "${changed}")
expect_failure(changed "${CHANGE_NAME}" "value differs")

message(STATUS "mutation check passed: deleting ${DELETE_NAME} and changing "
               "${CHANGE_NAME} are both detected")
