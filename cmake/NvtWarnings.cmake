# Warnings for nvtoken's own code: the same set under gcc, clang and
# arm-none-eabi-gcc, and any warning is an error. Third-party code (mbedTLS,
# cmocka) keeps its own flags.
function(nvt_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Werror -Wpedantic
    -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
    -Wformat=2 -Wwrite-strings -Wpointer-arith -Wcast-qual)
endfunction()
