# cmake -DEMULATOR=<cmd or empty> -DPROGRAM=<exe> -DARGS=<a;b> \
#       -DEXPECT_STATUS=<regex|nonzero> -DEXPECT_OUTPUT=<regex> -P expect_run.cmake
#
# Runs PROGRAM (through the cross-compiling emulator when there is one) and
# succeeds only if its exit status matches EXPECT_STATUS exactly and its
# output matches EXPECT_OUTPUT. Used to prove that failures are failures.
set(cmd ${PROGRAM} ${ARGS})
if(EMULATOR)
  set(cmd ${EMULATOR} ${cmd})
endif()
execute_process(COMMAND ${cmd} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(EXPECT_STATUS STREQUAL "nonzero")
  if(status STREQUAL "0")
    message(FATAL_ERROR "exit status 0, expected a failure")
  endif()
elseif(NOT status MATCHES "^(${EXPECT_STATUS})$")
  message(FATAL_ERROR "exit status '${status}', expected '${EXPECT_STATUS}'")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT_OUTPUT}")
  message(FATAL_ERROR "output does not match '${EXPECT_OUTPUT}'")
endif()
message("exit status ${status} and output as expected")
