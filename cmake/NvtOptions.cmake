# Build-wide options. The presets set them; a plain `cmake -S . -B b` gets the
# host defaults.

if(CMAKE_CROSSCOMPILING)
  set(NVT_TARGET "cortex-m4" CACHE STRING "What the build is for")
  set(_nvt_default_port qemu)
else()
  set(NVT_TARGET "host" CACHE STRING "What the build is for")
  set(_nvt_default_port posix)
endif()
set_property(CACHE NVT_TARGET PROPERTY STRINGS host cortex-m4)

# The port: what differs per platform (mutex, entropy, device key, image
# location). `none` leaves those functions to the firmware that links
# libnvtoken.a.
set(NVT_PORT "${_nvt_default_port}" CACHE STRING "Platform port: posix, qemu or none")
set_property(CACHE NVT_PORT PROPERTY STRINGS posix qemu none)

# Sanitizers for the whole host build (nvtoken, mbedTLS, cmocka, tests):
# a comma-separated -fsanitize= list, e.g. "address,undefined" or "thread".
set(NVT_SANITIZE "" CACHE STRING "Sanitizers for host builds (-fsanitize=...)")
if(NVT_SANITIZE)
  if(CMAKE_CROSSCOMPILING)
    message(FATAL_ERROR "NVT_SANITIZE is for host builds only")
  endif()
  add_compile_options(-fsanitize=${NVT_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${NVT_SANITIZE})
endif()

if(NOT CMAKE_CROSSCOMPILING)
  # The host module is a shared library that links the static parts.
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
endif()
