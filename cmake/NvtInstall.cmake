# Installation (host builds): headers, libnvtoken.a with the mbedTLS 3.6
# libraries it links, the PKCS#11 module libnvtoken.so, a CMake package
# (find_package(nvtoken) -> nvtoken::nvtoken, nvtoken::pkcs11), a pkg-config
# file and a p11-kit module file, in the standard places under
# CMAKE_INSTALL_PREFIX (DESTDIR honoured).
#
# mbedTLS is installed under nvtoken's own names (libnvtoken-mbedcrypto.a,
# libnvtoken-mbedx509.a) so it never collides with a system mbedTLS of
# another version; its headers are not installed (nvtoken's public headers
# do not include them).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# mbedcrypto links mbedTLS's 3rdparty libraries (everest, p256m: empty in
# nvtoken's configurations, but part of its link interface).
set(NVT_MBEDTLS_INSTALLED mbedcrypto mbedx509)
foreach(t everest p256m)
  if(TARGET ${t})
    list(APPEND NVT_MBEDTLS_INSTALLED ${t})
  endif()
endforeach()
foreach(t IN LISTS NVT_MBEDTLS_INSTALLED)
  set_target_properties(${t} PROPERTIES OUTPUT_NAME nvtoken-${t})
endforeach()

set(NVT_CMAKE_PACKAGE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/nvtoken")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/nvtoken"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.h")
install(FILES "${PROJECT_BINARY_DIR}/include/nvtoken/version.h"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/nvtoken")

install(TARGETS nvtoken ${NVT_MBEDTLS_INSTALLED} EXPORT nvtokenTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS nvtoken_module EXPORT nvtokenTargets
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(EXPORT nvtokenTargets NAMESPACE nvtoken:: DESTINATION "${NVT_CMAKE_PACKAGE_DIR}")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/nvtokenConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/nvtokenConfig.cmake"
  INSTALL_DESTINATION "${NVT_CMAKE_PACKAGE_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/nvtokenConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/nvtokenConfig.cmake"
              "${PROJECT_BINARY_DIR}/nvtokenConfigVersion.cmake"
        DESTINATION "${NVT_CMAKE_PACKAGE_DIR}")

# pkg-config: `pkg-config --cflags --libs nvtoken` (shared module) and
# `--static` for libnvtoken.a.
# Relocatable: the prefix is found relative to the .pc file itself.
file(RELATIVE_PATH NVT_PC_PREFIX_REL "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" NVT_PC_PREFIX_REL "${NVT_PC_PREFIX_REL}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/nvtoken.pc.in" "${PROJECT_BINARY_DIR}/nvtoken.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/nvtoken.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

# p11-kit registration: share/p11-kit/modules/nvtoken.module, naming the
# module where it is installed (written at install time, so `--prefix`
# given to `cmake --install` is honoured).
install(CODE "
  set(_dir \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/p11-kit/modules\")
  set(_lib \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/libnvtoken.so\")
  message(STATUS \"Installing: \$ENV{DESTDIR}\${_dir}/nvtoken.module\")
  file(MAKE_DIRECTORY \"\$ENV{DESTDIR}\${_dir}\")
  file(WRITE \"\$ENV{DESTDIR}\${_dir}/nvtoken.module\"
    \"# p11-kit module configuration for nvtoken (see pkcs11.conf(5)).\\nmodule: \${_lib}\\n\")
")
