# nvt_add_test(<name> SOURCES <src>... [LIBS <lib>...] [ARGS <arg>...]
#              [LAYERS <layer>...] [HOST_ONLY] [TIMEOUT <s>] [LABELS <label>...])
#
# Builds one cmocka test program and registers it with ctest. In the cortex-m4
# build the same program is linked for the QEMU reference board and ctest runs
# it through CMAKE_CROSSCOMPILING_EMULATOR (scripts/qemu-run), so the test's
# exit status is the ctest result on both.
#
# LAYERS names layers whose internal headers (src/<layer>/) a white-box unit
# test includes. Test programs link nvt_test_support: cmocka, tests/support/ helpers and, on
# the target, the board's start-up code and C library glue.

add_library(nvt_test_support INTERFACE)
target_link_libraries(nvt_test_support INTERFACE nvt_cmocka)
target_include_directories(nvt_test_support INTERFACE "${PROJECT_SOURCE_DIR}/tests/support")

# nvt_test_program(<target>): make an executable a test program of this
# platform. The board's objects must be linked directly (object files are not
# passed on through interface libraries).
function(nvt_test_program target)
  target_link_libraries(${target} PRIVATE nvt_test_support)
  if(CMAKE_CROSSCOMPILING)
    target_link_libraries(${target} PRIVATE nvt_qemu_board)
  endif()
  nvt_warnings(${target})
endfunction()

function(nvt_add_test name)
  cmake_parse_arguments(T "HOST_ONLY" "TIMEOUT" "SOURCES;LIBS;ARGS;LABELS;LAYERS" ${ARGN})
  if(T_HOST_ONLY AND CMAKE_CROSSCOMPILING)
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS})
  nvt_test_program(${name})
  foreach(layer IN LISTS T_LAYERS)
    target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/src/${layer}")
  endforeach()
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${NVT_TARGET};${T_LABELS}")
endfunction()
