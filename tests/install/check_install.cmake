# cmake -DBUILD_DIR=... -DWORK_DIR=... -DCONSUMER_DIR=... -DC_COMPILER=...
#       [-DC_FLAGS=...] [-DSANITIZE=...] -P check_install.cmake
#
# 1. cmake --install BUILD_DIR with prefix /opt/nvtoken-test and
#    DESTDIR=WORK_DIR/stage; check the expected files are there.
# 2. Configure, build and run CONSUMER_DIR (find_package(nvtoken)) against
#    the staged prefix: static library and PKCS#11 module.
# 3. Compile and run the same program with flags from pkg-config.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(prefix /opt/nvtoken-test)
set(stage "${WORK_DIR}/stage")
set(root "${stage}${prefix}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("$ ${ARGN}\n${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "command failed (${rc})")
  endif()
  set(LAST_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

# 1. install
set(ENV{DESTDIR} "${stage}")
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix ${prefix})
unset(ENV{DESTDIR})
foreach(f include/nvtoken/pkcs11.h include/nvtoken/version.h include/nvtoken/store.h
          share/p11-kit/modules/nvtoken.module bin/nvtoken)
  if(NOT EXISTS "${root}/${f}")
    message(FATAL_ERROR "installed tree lacks ${f}")
  endif()
endforeach()
file(GLOB_RECURSE libs RELATIVE "${root}" "${root}/lib*/*")
message("installed: ${libs}")
foreach(pattern "libnvtoken\\.a" "libnvtoken\\.so" "libnvtoken-mbedcrypto\\.a"
                "cmake/nvtoken/nvtokenConfig\\.cmake" "pkgconfig/nvtoken\\.pc")
  if(NOT libs MATCHES "${pattern}")
    message(FATAL_ERROR "installed tree lacks ${pattern}")
  endif()
endforeach()
file(READ "${root}/share/p11-kit/modules/nvtoken.module" module)
if(NOT module MATCHES "module: ${prefix}/lib[^\n]*/libnvtoken\\.so")
  message(FATAL_ERROR "nvtoken.module does not name the installed module: ${module}")
endif()

# A sanitized build's libraries need the sanitizer runtime in the consumer.
set(san_flags "")
if(SANITIZE)
  set(san_flags "-fsanitize=${SANITIZE}")
endif()

# 2. find_package consumer
run(${CMAKE_COMMAND} -S "${CONSUMER_DIR}" -B "${WORK_DIR}/cmake-consumer"
    -DCMAKE_C_COMPILER=${C_COMPILER} "-DCMAKE_C_FLAGS=${C_FLAGS} ${san_flags}"
    "-DCMAKE_PREFIX_PATH=${root}")
run(${CMAKE_COMMAND} --build "${WORK_DIR}/cmake-consumer")
run("${WORK_DIR}/cmake-consumer/consumer_static")
if(NOT LAST_OUTPUT MATCHES "cryptokiVersion 2\\.40")
  message(FATAL_ERROR "static consumer did not report C_GetInfo")
endif()
run("${WORK_DIR}/cmake-consumer/consumer_module")
if(NOT LAST_OUTPUT MATCHES "cryptokiVersion 2\\.40")
  message(FATAL_ERROR "module consumer did not report C_GetInfo")
endif()

# 3. pkg-config consumer
set(ENV{PKG_CONFIG_PATH} "")
file(GLOB pcdir "${root}/lib*/pkgconfig" "${root}/lib/*/pkgconfig")
set(ENV{PKG_CONFIG_LIBDIR} "${pcdir}")
run(pkg-config --cflags nvtoken)
string(STRIP "${LAST_OUTPUT}" cflags)
run(pkg-config --libs nvtoken)
string(STRIP "${LAST_OUTPUT}" libs)
separate_arguments(cflags UNIX_COMMAND "${cflags} ${C_FLAGS} ${san_flags}")
separate_arguments(libs UNIX_COMMAND "${libs} ${san_flags}")
get_filename_component(libdir "${pcdir}" DIRECTORY)
run(${C_COMPILER} -std=c11 ${cflags} "${CONSUMER_DIR}/consumer.c" -o "${WORK_DIR}/pc-consumer"
    ${libs} "-Wl,-rpath,${libdir}")
run("${WORK_DIR}/pc-consumer")
if(NOT LAST_OUTPUT MATCHES "cryptokiVersion 2\\.40")
  message(FATAL_ERROR "pkg-config consumer did not report C_GetInfo")
endif()
message("installed package used by find_package and pkg-config consumers")
