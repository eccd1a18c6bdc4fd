/* cmocka configuration for nvtoken's builds (host: glibc; target: newlib-nano
 * on Cortex-M4 with semihosting). Written here instead of cmocka's probing
 * build, which cannot link test programs for a bare-metal target. */
#ifndef NVT_CMOCKA_CONFIG_H
#define NVT_CMOCKA_CONFIG_H

#define PACKAGE "cmocka"
#define VERSION "1.1.7"

#define HAVE_ASSERT_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_MALLOC_H 1
#define HAVE_MEMORY_H 1
#define HAVE_SETJMP_H 1
#define HAVE_SIGNAL_H 1
#define HAVE_STDARG_H 1
#define HAVE_STDDEF_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDIO_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRINGS_H 1
#define HAVE_STRING_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_TIME_H 1
#define HAVE_UINTPTR_T 1

#define HAVE_CALLOC 1
#define HAVE_EXIT 1
#define HAVE_FPRINTF 1
#define HAVE_SNPRINTF 1
#define HAVE_VSNPRINTF 1
#define HAVE_FREE 1
#define HAVE_LONGJMP 1
#define HAVE_MALLOC 1
#define HAVE_MEMCPY 1
#define HAVE_MEMSET 1
#define HAVE_PRINTF 1
#define HAVE_SETJMP 1
#define HAVE_SIGNAL 1
#define HAVE_STRCMP 1
#define HAVE_STRCPY 1

#if !defined(NVT_CMOCKA_BARE_METAL)
#define HAVE_UNISTD_H 1
#define HAVE_SIGLONGJMP 1
#define HAVE_STRSIGNAL 1
#define HAVE_CLOCK_GETTIME 1
#define HAVE_CLOCK_REALTIME 1
#define HAVE_STRUCT_TIMESPEC 1
#define HAVE_GCC_THREAD_LOCAL_STORAGE 1
#endif

#if defined(__SIZEOF_POINTER__)
#define WORDS_SIZEOF_VOID_P __SIZEOF_POINTER__
#endif

#endif /* NVT_CMOCKA_CONFIG_H */
