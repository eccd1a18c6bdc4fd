# cmocka, built from the Debian source package that scripts/setup unpacked
# into deps/cmocka, with a config header written here (cmocka's own build
# probes the C library by linking, which a bare-metal cross build cannot do).
# The same library serves host and Cortex-M4 tests. Provides nvt_cmocka.

set(NVT_CMOCKA_DIR "${PROJECT_SOURCE_DIR}/deps/cmocka" CACHE PATH
    "cmocka source tree (fetched by scripts/setup)")
if(NOT EXISTS "${NVT_CMOCKA_DIR}/src/cmocka.c")
  message(FATAL_ERROR "cmocka source not found in ${NVT_CMOCKA_DIR}: run scripts/setup")
endif()

add_library(nvt_cmocka STATIC EXCLUDE_FROM_ALL "${NVT_CMOCKA_DIR}/src/cmocka.c")
target_include_directories(nvt_cmocka SYSTEM PUBLIC "${NVT_CMOCKA_DIR}/include")
target_include_directories(nvt_cmocka PRIVATE "${PROJECT_SOURCE_DIR}/cmake/cmocka")
target_compile_definitions(nvt_cmocka PRIVATE HAVE_CONFIG_H=1)
if(CMAKE_CROSSCOMPILING)
  target_compile_definitions(nvt_cmocka PRIVATE NVT_CMOCKA_BARE_METAL=1)
else()
  target_compile_definitions(nvt_cmocka PRIVATE _GNU_SOURCE=1)
endif()
# cmocka is third-party code: build it quietly, never with -Werror.
target_compile_options(nvt_cmocka PRIVATE -w)
