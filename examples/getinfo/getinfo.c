/* nvt-getinfo MODULE - load a PKCS#11 module as any client does and print
 * what C_GetInfo reports, then each slot and its token. The first step of
 * `make demo`. */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "nvtoken/pkcs11.h"

/* A blank-padded PKCS#11 string field, without its padding. */
static void print_field(const char *name, const CK_UTF8CHAR *field, size_t size)
{
    while (size > 0 && field[size - 1] == ' ') {
        size--;
    }
    printf("  %-22s %.*s\n", name, (int)size, (const char *)field);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s MODULE.so\n", argv[0]);
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "cannot load %s: %s\n", argv[1], dlerror());
        return 1;
    }
    CK_C_GetFunctionList get_list;
    /* POSIX guarantees a function pointer survives the round trip. */
    void *sym = dlsym(lib, "C_GetFunctionList");
    memcpy(&get_list, &sym, sizeof(get_list));
    CK_FUNCTION_LIST_PTR p11 = NULL;
    if (sym == NULL || get_list(&p11) != CKR_OK) {
        fprintf(stderr, "%s: no PKCS#11 function list\n", argv[1]);
        dlclose(lib);
        return 1;
    }
    CK_RV rv = p11->C_Initialize(NULL_PTR);
    if (rv != CKR_OK) {
        fprintf(stderr, "C_Initialize: 0x%08lx\n", rv);
        dlclose(lib);
        return 1;
    }
    CK_INFO info;
    rv = p11->C_GetInfo(&info);
    if (rv != CKR_OK) {
        fprintf(stderr, "C_GetInfo: 0x%08lx\n", rv);
        p11->C_Finalize(NULL_PTR);
        dlclose(lib);
        return 1;
    }
    printf("%s: C_GetInfo\n", argv[1]);
    printf("  %-22s %u.%u\n", "cryptokiVersion", info.cryptokiVersion.major, info.cryptokiVersion.minor);
    print_field("manufacturerID", info.manufacturerID, sizeof(info.manufacturerID));
    printf("  %-22s 0x%08lx\n", "flags", info.flags);
    print_field("libraryDescription", info.libraryDescription, sizeof(info.libraryDescription));
    printf("  %-22s %u.%u\n", "libraryVersion", info.libraryVersion.major, info.libraryVersion.minor);

    CK_SLOT_ID slots[8];
    CK_ULONG n = 8;
    rv = p11->C_GetSlotList(CK_FALSE, slots, &n);
    for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++) {
        CK_SLOT_INFO si;
        CK_TOKEN_INFO ti;
        if (p11->C_GetSlotInfo(slots[i], &si) != CKR_OK) {
            continue;
        }
        printf("slot %lu:\n", slots[i]);
        print_field("slotDescription", si.slotDescription, sizeof(si.slotDescription));
        CK_RV trv = p11->C_GetTokenInfo(slots[i], &ti);
        if (trv != CKR_OK) {
            printf("  %-22s 0x%08lx\n", "C_GetTokenInfo", trv);
            continue;
        }
        print_field("label", ti.label, sizeof(ti.label));
        print_field("serialNumber", ti.serialNumber, sizeof(ti.serialNumber));
        printf("  %-22s 0x%08lx%s\n", "flags", ti.flags,
               (ti.flags & CKF_TOKEN_INITIALIZED) != 0 ? " (initialized)" : " (blank)");
        printf("  %-22s %lu of %lu bytes free\n", "memory", ti.ulFreePublicMemory, ti.ulTotalPublicMemory);
    }
    rv = p11->C_Finalize(NULL_PTR);
    dlclose(lib);
    return rv == CKR_OK ? 0 : 1;
}
