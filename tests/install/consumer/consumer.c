/* Uses an installed nvtoken through its public header: the function list
 * and C_GetInfo. */
#include <stdio.h>

#include <nvtoken/pkcs11.h>

int main(void)
{
    CK_FUNCTION_LIST_PTR p11 = NULL;
    if (C_GetFunctionList(&p11) != CKR_OK || p11->C_Initialize(NULL_PTR) != CKR_OK) {
        fprintf(stderr, "cannot initialise nvtoken\n");
        return 1;
    }
    CK_INFO info;
    CK_RV rv = p11->C_GetInfo(&info);
    printf("cryptokiVersion %u.%u, library %u.%u, rv 0x%lx\n", info.cryptokiVersion.major,
           info.cryptokiVersion.minor, info.libraryVersion.major, info.libraryVersion.minor, rv);
    p11->C_Finalize(NULL_PTR);
    return rv == CKR_OK ? 0 : 1;
}
