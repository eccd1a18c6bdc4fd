/*
 * p11kit_dump.c - build-time generator for the nvtoken header check.
 *
 * Compiled against p11-kit's <p11-kit/pkcs11.h> ONLY (never against
 * nvtoken/pkcs11.h).  It records what p11-kit's header says - the value and
 * type of every constant listed in the generated p11kit_names.h, and the
 * size, alignment and member offsets/sizes of the core structures - and
 * writes them out as C11 checks:
 *
 *     p11kit_dump <output: p11kit_facts.h>
 *
 * pkcs11_header_check.c includes nvtoken/pkcs11.h followed by that file,
 * so any disagreement becomes a compile error that names the constant or
 * the structure member concerned.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <p11-kit/pkcs11.h>

/* ---------------------------------------------------------------------
 * Constants
 * --------------------------------------------------------------------- */

enum value_type { T_INT, T_UINT, T_LONG, T_ULONG, T_LLONG, T_ULLONG, T_OTHER };

static const char *const type_names[] = {
    "int", "unsigned int", "long", "unsigned long",
    "long long", "unsigned long long", "?"
};
static const char *const type_suffix[] = {
    "", "U", "L", "UL", "LL", "ULL", ""
};

#define VALUE_TYPE(x) _Generic((x),            \
    int: T_INT, unsigned int: T_UINT,          \
    long: T_LONG, unsigned long: T_ULONG,      \
    long long: T_LLONG, unsigned long long: T_ULLONG, \
    default: T_OTHER)

struct constant {
    const char *p11kit_name;        /* name in p11-kit's header            */
    const char *our_name;           /* name nvtoken/pkcs11.h must define   */
    unsigned long long bits;        /* value nvtoken must have (64 bits)   */
    unsigned long long p11kit_bits; /* value p11-kit has                   */
    enum value_type type;           /* type of p11-kit's expression        */
    int overridden;                 /* value corrected by the exclusions   */
};

#define ULL(x) ((unsigned long long)(x))

static const struct constant constants[] = {
/* same name, same value */
#define P11KIT_CONSTANT(name) \
    { #name, #name, ULL(name), ULL(name), VALUE_TYPE(name), 0 },
/* p11-kit's NAME is checked as our standard spelling OURS */
#define P11KIT_RENAMED(name, ours) \
    { #name, #ours, ULL(name), ULL(name), VALUE_TYPE(name), 0 },
/* p11-kit's value of NAME contradicts the standard: require VALUE */
#define P11KIT_OVERRIDE(name, value) \
    { #name, #name, ULL(value), ULL(name), VALUE_TYPE(name), 1 },
#include "p11kit_names.h"
#undef P11KIT_CONSTANT
#undef P11KIT_RENAMED
#undef P11KIT_OVERRIDE
};

/* Writes the value as a C literal of the same type as p11-kit's. */
static void print_literal(FILE *out, const struct constant *c)
{
    switch (c->type) {
    case T_INT:
    case T_LONG:
    case T_LLONG:
        if ((long long)c->bits < 0)
            fprintf(out, "(-%lld%s - 1)",
                    -((long long)c->bits + 1), type_suffix[c->type]);
        else
            fprintf(out, "%lld%s", (long long)c->bits, type_suffix[c->type]);
        break;
    default:
        fprintf(out, "0x%llx%s", c->bits, type_suffix[c->type]);
        break;
    }
}

static int emit_constant(FILE *out, const struct constant *c)
{
    const char *n = c->our_name;

    if (c->type == T_OTHER) {
        fprintf(stderr, "p11kit_dump: %s has an unexpected type\n",
                c->p11kit_name);
        return -1;
    }

    if (strcmp(c->our_name, c->p11kit_name) != 0)
        fprintf(out, "/* p11-kit spells this %s */\n", c->p11kit_name);
    if (c->overridden) {
        fprintf(out, "/* p11-kit has 0x%llx here, which contradicts the "
                     "standard; see p11kit_exclusions.txt */\n",
                c->p11kit_bits);
        if (c->p11kit_bits == c->bits)
            printf("p11kit_dump: note: p11-kit now agrees on %s; its "
                   "override in p11kit_exclusions.txt can go\n",
                   c->p11kit_name);
    }
    fprintf(out, "#ifndef %s\n", n);
    if (strcmp(c->our_name, c->p11kit_name) != 0)
        fprintf(out, "#error \"%s: missing from nvtoken/pkcs11.h (standard "
                     "name of p11-kit %s)\"\n", n, c->p11kit_name);
    else
        fprintf(out, "#error \"%s: defined by p11-kit pkcs11.h but missing "
                     "from nvtoken/pkcs11.h\"\n", n);
    fprintf(out, "#else\n");
    fprintf(out, "_Static_assert((%s) == ", n);
    print_literal(out, c);
    if (c->overridden)
        fprintf(out, ", \"%s: value differs from the standard value (", n);
    else
        fprintf(out, ", \"%s: value differs from p11-kit (", n);
    print_literal(out, c);
    fprintf(out, ")\");\n");
    fprintf(out, "_Static_assert(_Generic((%s), %s: 1, default: 0), "
                 "\"%s: type differs from p11-kit (%s)\");\n",
            n, type_names[c->type], n, type_names[c->type]);
    fprintf(out, "#endif\n");
    return 0;
}

/* ---------------------------------------------------------------------
 * Structure layouts
 * --------------------------------------------------------------------- */

struct type_fact {
    const char *type;
    size_t size;
    size_t align;
};

struct member_fact {
    const char *type;
    const char *member;
    size_t size;
    size_t offset;
};

#define TYPE(T) { #T, sizeof(T), _Alignof(T) }
#define MEMBER(T, m) { #T, #m, sizeof(((T *)0)->m), offsetof(T, m) }
/* A type p11-kit declares only under its own name P (no typedef of the
 * standard name OURS): its facts are checked against OURS. */
#define TYPE_AS(P, ours) { #ours, sizeof(P), _Alignof(P) }
#define MEMBER_AS(P, ours, m) { #ours, #m, sizeof(((P *)0)->m), offsetof(P, m) }

/* p11-kit's header of v3.0 or later (0.25 on) declares the v3.0 API. */
#if defined(CKF_END_OF_MESSAGE)
#define P11KIT_HAS_V3 1
#else
#define P11KIT_HAS_V3 0
#endif

static const struct type_fact types[] = {
    TYPE(CK_BYTE), TYPE(CK_CHAR), TYPE(CK_UTF8CHAR), TYPE(CK_BBOOL),
    TYPE(CK_ULONG), TYPE(CK_LONG), TYPE(CK_FLAGS), TYPE(CK_RV),
    TYPE(CK_SLOT_ID), TYPE(CK_SESSION_HANDLE), TYPE(CK_OBJECT_HANDLE),
    TYPE(CK_OBJECT_CLASS), TYPE(CK_KEY_TYPE), TYPE(CK_ATTRIBUTE_TYPE),
    TYPE(CK_MECHANISM_TYPE), TYPE(CK_USER_TYPE), TYPE(CK_STATE),
    TYPE(CK_NOTIFICATION), TYPE(CK_CERTIFICATE_TYPE),
    TYPE(CK_HW_FEATURE_TYPE), TYPE(CK_VOID_PTR),
    TYPE(CK_VERSION), TYPE(CK_INFO), TYPE(CK_SLOT_INFO),
    TYPE(CK_TOKEN_INFO), TYPE(CK_SESSION_INFO), TYPE(CK_ATTRIBUTE),
    TYPE(CK_DATE), TYPE(CK_MECHANISM), TYPE(CK_MECHANISM_INFO),
    TYPE(CK_C_INITIALIZE_ARGS), TYPE(CK_FUNCTION_LIST),
    TYPE(CK_RSA_PKCS_PSS_PARAMS), TYPE(CK_RSA_PKCS_OAEP_PARAMS),
    TYPE(CK_GCM_PARAMS), TYPE(CK_ECDH1_DERIVE_PARAMS),
    TYPE(CK_AES_CTR_PARAMS), TYPE(CK_AES_CBC_ENCRYPT_DATA_PARAMS),
    TYPE(CK_DES_CBC_ENCRYPT_DATA_PARAMS),
    TYPE(CK_KEY_DERIVATION_STRING_DATA), TYPE(CK_OTP_PARAM),
#if P11KIT_HAS_V3
    TYPE(CK_INTERFACE), TYPE(CK_FUNCTION_LIST_3_0), TYPE(CK_PROFILE_ID),
    TYPE(CK_GENERATOR_FUNCTION),
    TYPE_AS(struct ck_gcm_message_params, CK_GCM_MESSAGE_PARAMS),
#endif
};

/* Integer typedefs whose signedness must match as well. */
static const struct {
    const char *type;
    int is_unsigned;
} scalars[] = {
#define SCALAR(T) { #T, (T)-1 > (T)0 }
    SCALAR(CK_BYTE), SCALAR(CK_CHAR), SCALAR(CK_UTF8CHAR), SCALAR(CK_BBOOL),
    SCALAR(CK_ULONG), SCALAR(CK_LONG), SCALAR(CK_FLAGS), SCALAR(CK_RV),
    SCALAR(CK_SLOT_ID), SCALAR(CK_SESSION_HANDLE), SCALAR(CK_OBJECT_HANDLE),
    SCALAR(CK_ATTRIBUTE_TYPE), SCALAR(CK_MECHANISM_TYPE),
#undef SCALAR
};

static const struct member_fact members[] = {
    MEMBER(CK_VERSION, major),
    MEMBER(CK_VERSION, minor),

    MEMBER(CK_INFO, cryptokiVersion),
    MEMBER(CK_INFO, manufacturerID),
    MEMBER(CK_INFO, flags),
    MEMBER(CK_INFO, libraryDescription),
    MEMBER(CK_INFO, libraryVersion),

    MEMBER(CK_SLOT_INFO, slotDescription),
    MEMBER(CK_SLOT_INFO, manufacturerID),
    MEMBER(CK_SLOT_INFO, flags),
    MEMBER(CK_SLOT_INFO, hardwareVersion),
    MEMBER(CK_SLOT_INFO, firmwareVersion),

    MEMBER(CK_TOKEN_INFO, label),
    MEMBER(CK_TOKEN_INFO, manufacturerID),
    MEMBER(CK_TOKEN_INFO, model),
    MEMBER(CK_TOKEN_INFO, serialNumber),
    MEMBER(CK_TOKEN_INFO, flags),
    MEMBER(CK_TOKEN_INFO, ulMaxSessionCount),
    MEMBER(CK_TOKEN_INFO, ulSessionCount),
    MEMBER(CK_TOKEN_INFO, ulMaxRwSessionCount),
    MEMBER(CK_TOKEN_INFO, ulRwSessionCount),
    MEMBER(CK_TOKEN_INFO, ulMaxPinLen),
    MEMBER(CK_TOKEN_INFO, ulMinPinLen),
    MEMBER(CK_TOKEN_INFO, ulTotalPublicMemory),
    MEMBER(CK_TOKEN_INFO, ulFreePublicMemory),
    MEMBER(CK_TOKEN_INFO, ulTotalPrivateMemory),
    MEMBER(CK_TOKEN_INFO, ulFreePrivateMemory),
    MEMBER(CK_TOKEN_INFO, hardwareVersion),
    MEMBER(CK_TOKEN_INFO, firmwareVersion),
    MEMBER(CK_TOKEN_INFO, utcTime),

    MEMBER(CK_SESSION_INFO, slotID),
    MEMBER(CK_SESSION_INFO, state),
    MEMBER(CK_SESSION_INFO, flags),
    MEMBER(CK_SESSION_INFO, ulDeviceError),

    MEMBER(CK_ATTRIBUTE, type),
    MEMBER(CK_ATTRIBUTE, pValue),
    MEMBER(CK_ATTRIBUTE, ulValueLen),

    MEMBER(CK_DATE, year),
    MEMBER(CK_DATE, month),
    MEMBER(CK_DATE, day),

    MEMBER(CK_MECHANISM, mechanism),
    MEMBER(CK_MECHANISM, pParameter),
    MEMBER(CK_MECHANISM, ulParameterLen),

    MEMBER(CK_MECHANISM_INFO, ulMinKeySize),
    MEMBER(CK_MECHANISM_INFO, ulMaxKeySize),
    MEMBER(CK_MECHANISM_INFO, flags),

    MEMBER(CK_C_INITIALIZE_ARGS, CreateMutex),
    MEMBER(CK_C_INITIALIZE_ARGS, DestroyMutex),
    MEMBER(CK_C_INITIALIZE_ARGS, LockMutex),
    MEMBER(CK_C_INITIALIZE_ARGS, UnlockMutex),
    MEMBER(CK_C_INITIALIZE_ARGS, flags),
    MEMBER(CK_C_INITIALIZE_ARGS, pReserved),

    /* CK_FUNCTION_LIST: version + the 68 v2.40 entry points, in order */
    MEMBER(CK_FUNCTION_LIST, version),
    MEMBER(CK_FUNCTION_LIST, C_Initialize),
    MEMBER(CK_FUNCTION_LIST, C_Finalize),
    MEMBER(CK_FUNCTION_LIST, C_GetInfo),
    MEMBER(CK_FUNCTION_LIST, C_GetFunctionList),
    MEMBER(CK_FUNCTION_LIST, C_GetSlotList),
    MEMBER(CK_FUNCTION_LIST, C_GetSlotInfo),
    MEMBER(CK_FUNCTION_LIST, C_GetTokenInfo),
    MEMBER(CK_FUNCTION_LIST, C_GetMechanismList),
    MEMBER(CK_FUNCTION_LIST, C_GetMechanismInfo),
    MEMBER(CK_FUNCTION_LIST, C_InitToken),
    MEMBER(CK_FUNCTION_LIST, C_InitPIN),
    MEMBER(CK_FUNCTION_LIST, C_SetPIN),
    MEMBER(CK_FUNCTION_LIST, C_OpenSession),
    MEMBER(CK_FUNCTION_LIST, C_CloseSession),
    MEMBER(CK_FUNCTION_LIST, C_CloseAllSessions),
    MEMBER(CK_FUNCTION_LIST, C_GetSessionInfo),
    MEMBER(CK_FUNCTION_LIST, C_GetOperationState),
    MEMBER(CK_FUNCTION_LIST, C_SetOperationState),
    MEMBER(CK_FUNCTION_LIST, C_Login),
    MEMBER(CK_FUNCTION_LIST, C_Logout),
    MEMBER(CK_FUNCTION_LIST, C_CreateObject),
    MEMBER(CK_FUNCTION_LIST, C_CopyObject),
    MEMBER(CK_FUNCTION_LIST, C_DestroyObject),
    MEMBER(CK_FUNCTION_LIST, C_GetObjectSize),
    MEMBER(CK_FUNCTION_LIST, C_GetAttributeValue),
    MEMBER(CK_FUNCTION_LIST, C_SetAttributeValue),
    MEMBER(CK_FUNCTION_LIST, C_FindObjectsInit),
    MEMBER(CK_FUNCTION_LIST, C_FindObjects),
    MEMBER(CK_FUNCTION_LIST, C_FindObjectsFinal),
    MEMBER(CK_FUNCTION_LIST, C_EncryptInit),
    MEMBER(CK_FUNCTION_LIST, C_Encrypt),
    MEMBER(CK_FUNCTION_LIST, C_EncryptUpdate),
    MEMBER(CK_FUNCTION_LIST, C_EncryptFinal),
    MEMBER(CK_FUNCTION_LIST, C_DecryptInit),
    MEMBER(CK_FUNCTION_LIST, C_Decrypt),
    MEMBER(CK_FUNCTION_LIST, C_DecryptUpdate),
    MEMBER(CK_FUNCTION_LIST, C_DecryptFinal),
    MEMBER(CK_FUNCTION_LIST, C_DigestInit),
    MEMBER(CK_FUNCTION_LIST, C_Digest),
    MEMBER(CK_FUNCTION_LIST, C_DigestUpdate),
    MEMBER(CK_FUNCTION_LIST, C_DigestKey),
    MEMBER(CK_FUNCTION_LIST, C_DigestFinal),
    MEMBER(CK_FUNCTION_LIST, C_SignInit),
    MEMBER(CK_FUNCTION_LIST, C_Sign),
    MEMBER(CK_FUNCTION_LIST, C_SignUpdate),
    MEMBER(CK_FUNCTION_LIST, C_SignFinal),
    MEMBER(CK_FUNCTION_LIST, C_SignRecoverInit),
    MEMBER(CK_FUNCTION_LIST, C_SignRecover),
    MEMBER(CK_FUNCTION_LIST, C_VerifyInit),
    MEMBER(CK_FUNCTION_LIST, C_Verify),
    MEMBER(CK_FUNCTION_LIST, C_VerifyUpdate),
    MEMBER(CK_FUNCTION_LIST, C_VerifyFinal),
    MEMBER(CK_FUNCTION_LIST, C_VerifyRecoverInit),
    MEMBER(CK_FUNCTION_LIST, C_VerifyRecover),
    MEMBER(CK_FUNCTION_LIST, C_DigestEncryptUpdate),
    MEMBER(CK_FUNCTION_LIST, C_DecryptDigestUpdate),
    MEMBER(CK_FUNCTION_LIST, C_SignEncryptUpdate),
    MEMBER(CK_FUNCTION_LIST, C_DecryptVerifyUpdate),
    MEMBER(CK_FUNCTION_LIST, C_GenerateKey),
    MEMBER(CK_FUNCTION_LIST, C_GenerateKeyPair),
    MEMBER(CK_FUNCTION_LIST, C_WrapKey),
    MEMBER(CK_FUNCTION_LIST, C_UnwrapKey),
    MEMBER(CK_FUNCTION_LIST, C_DeriveKey),
    MEMBER(CK_FUNCTION_LIST, C_SeedRandom),
    MEMBER(CK_FUNCTION_LIST, C_GenerateRandom),
    MEMBER(CK_FUNCTION_LIST, C_GetFunctionStatus),
    MEMBER(CK_FUNCTION_LIST, C_CancelFunction),
    MEMBER(CK_FUNCTION_LIST, C_WaitForSlotEvent),

    /* mechanism parameter blocks that p11-kit also defines */
    MEMBER(CK_RSA_PKCS_PSS_PARAMS, hashAlg),
    MEMBER(CK_RSA_PKCS_PSS_PARAMS, mgf),
    MEMBER(CK_RSA_PKCS_PSS_PARAMS, sLen),

    MEMBER(CK_RSA_PKCS_OAEP_PARAMS, hashAlg),
    MEMBER(CK_RSA_PKCS_OAEP_PARAMS, mgf),
    MEMBER(CK_RSA_PKCS_OAEP_PARAMS, source),
    MEMBER(CK_RSA_PKCS_OAEP_PARAMS, pSourceData),
    MEMBER(CK_RSA_PKCS_OAEP_PARAMS, ulSourceDataLen),

    MEMBER(CK_GCM_PARAMS, pIv),
    MEMBER(CK_GCM_PARAMS, ulIvLen),
    MEMBER(CK_GCM_PARAMS, ulIvBits),
    MEMBER(CK_GCM_PARAMS, pAAD),
    MEMBER(CK_GCM_PARAMS, ulAADLen),
    MEMBER(CK_GCM_PARAMS, ulTagBits),

    MEMBER(CK_ECDH1_DERIVE_PARAMS, kdf),
    MEMBER(CK_ECDH1_DERIVE_PARAMS, ulSharedDataLen),
    MEMBER(CK_ECDH1_DERIVE_PARAMS, pSharedData),
    MEMBER(CK_ECDH1_DERIVE_PARAMS, ulPublicDataLen),
    MEMBER(CK_ECDH1_DERIVE_PARAMS, pPublicData),

    MEMBER(CK_AES_CTR_PARAMS, ulCounterBits),
    MEMBER(CK_AES_CTR_PARAMS, cb),

    MEMBER(CK_AES_CBC_ENCRYPT_DATA_PARAMS, iv),
    MEMBER(CK_AES_CBC_ENCRYPT_DATA_PARAMS, pData),
    MEMBER(CK_AES_CBC_ENCRYPT_DATA_PARAMS, length),

    MEMBER(CK_DES_CBC_ENCRYPT_DATA_PARAMS, iv),
    MEMBER(CK_DES_CBC_ENCRYPT_DATA_PARAMS, pData),
    MEMBER(CK_DES_CBC_ENCRYPT_DATA_PARAMS, length),

    MEMBER(CK_KEY_DERIVATION_STRING_DATA, pData),
    MEMBER(CK_KEY_DERIVATION_STRING_DATA, ulLen),

    MEMBER(CK_OTP_PARAM, type),
    MEMBER(CK_OTP_PARAM, pValue),
    MEMBER(CK_OTP_PARAM, ulValueLen),

#if P11KIT_HAS_V3
    /* [v3.0] interface discovery and CK_FUNCTION_LIST_3_0: version, the 68
     * v2.x entry points, then the 24 v3.0 ones, in order */
    MEMBER(CK_INTERFACE, pInterfaceName),
    MEMBER(CK_INTERFACE, pFunctionList),
    MEMBER(CK_INTERFACE, flags),

#define V3(m) MEMBER(CK_FUNCTION_LIST_3_0, m)
    V3(version), V3(C_Initialize), V3(C_Finalize), V3(C_GetInfo),
    V3(C_GetFunctionList), V3(C_GetSlotList), V3(C_GetSlotInfo),
    V3(C_GetTokenInfo), V3(C_GetMechanismList), V3(C_GetMechanismInfo),
    V3(C_InitToken), V3(C_InitPIN), V3(C_SetPIN), V3(C_OpenSession),
    V3(C_CloseSession), V3(C_CloseAllSessions), V3(C_GetSessionInfo),
    V3(C_GetOperationState), V3(C_SetOperationState), V3(C_Login),
    V3(C_Logout), V3(C_CreateObject), V3(C_CopyObject), V3(C_DestroyObject),
    V3(C_GetObjectSize), V3(C_GetAttributeValue), V3(C_SetAttributeValue),
    V3(C_FindObjectsInit), V3(C_FindObjects), V3(C_FindObjectsFinal),
    V3(C_EncryptInit), V3(C_Encrypt), V3(C_EncryptUpdate),
    V3(C_EncryptFinal), V3(C_DecryptInit), V3(C_Decrypt),
    V3(C_DecryptUpdate), V3(C_DecryptFinal), V3(C_DigestInit), V3(C_Digest),
    V3(C_DigestUpdate), V3(C_DigestKey), V3(C_DigestFinal), V3(C_SignInit),
    V3(C_Sign), V3(C_SignUpdate), V3(C_SignFinal), V3(C_SignRecoverInit),
    V3(C_SignRecover), V3(C_VerifyInit), V3(C_Verify), V3(C_VerifyUpdate),
    V3(C_VerifyFinal), V3(C_VerifyRecoverInit), V3(C_VerifyRecover),
    V3(C_DigestEncryptUpdate), V3(C_DecryptDigestUpdate),
    V3(C_SignEncryptUpdate), V3(C_DecryptVerifyUpdate), V3(C_GenerateKey),
    V3(C_GenerateKeyPair), V3(C_WrapKey), V3(C_UnwrapKey), V3(C_DeriveKey),
    V3(C_SeedRandom), V3(C_GenerateRandom), V3(C_GetFunctionStatus),
    V3(C_CancelFunction), V3(C_WaitForSlotEvent),
    V3(C_GetInterfaceList), V3(C_GetInterface), V3(C_LoginUser),
    V3(C_SessionCancel), V3(C_MessageEncryptInit), V3(C_EncryptMessage),
    V3(C_EncryptMessageBegin), V3(C_EncryptMessageNext),
    V3(C_MessageEncryptFinal), V3(C_MessageDecryptInit),
    V3(C_DecryptMessage), V3(C_DecryptMessageBegin),
    V3(C_DecryptMessageNext), V3(C_MessageDecryptFinal),
    V3(C_MessageSignInit), V3(C_SignMessage), V3(C_SignMessageBegin),
    V3(C_SignMessageNext), V3(C_MessageSignFinal), V3(C_MessageVerifyInit),
    V3(C_VerifyMessage), V3(C_VerifyMessageBegin), V3(C_VerifyMessageNext),
    V3(C_MessageVerifyFinal),
#undef V3

#define GCM_MSG(m) MEMBER_AS(struct ck_gcm_message_params, CK_GCM_MESSAGE_PARAMS, m)
    GCM_MSG(pIv), GCM_MSG(ulIvLen), GCM_MSG(ulIvFixedBits),
    GCM_MSG(ivGenerator), GCM_MSG(pTag), GCM_MSG(ulTagBits),
#undef GCM_MSG
#endif
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int main(int argc, char **argv)
{
    FILE *out;
    size_t i, function_list_members = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s <p11kit_facts.h>\n", argv[0]);
        return 2;
    }
    out = fopen(argv[1], "w");
    if (out == NULL) {
        perror(argv[1]);
        return 1;
    }

    fprintf(out,
        "/* Generated by p11kit_dump from p11-kit's pkcs11.h - do not edit.\n"
        " * Include after nvtoken/pkcs11.h: every line below checks one fact\n"
        " * recorded from p11-kit against nvtoken's header at compile time. */\n"
        "#ifndef NVT_P11KIT_FACTS_H\n"
        "#define NVT_P11KIT_FACTS_H\n"
        "#include <stddef.h>\n\n");

    fprintf(out, "#define P11KIT_FACTS_CONSTANTS %lu\n",
            (unsigned long)COUNT(constants));
    fprintf(out, "#define P11KIT_FACTS_MEMBERS %lu\n\n",
            (unsigned long)COUNT(members));

    fprintf(out, "/* ---- constants ---- */\n");
    for (i = 0; i < COUNT(constants); i++) {
        if (emit_constant(out, &constants[i]) != 0) {
            fclose(out);
            remove(argv[1]);
            return 1;
        }
    }

    fprintf(out, "\n/* ---- type sizes and alignments ---- */\n");
    for (i = 0; i < COUNT(types); i++) {
        const struct type_fact *t = &types[i];
        fprintf(out, "_Static_assert(sizeof(%s) == %lu, "
                     "\"sizeof(%s) differs from p11-kit (%lu)\");\n",
                t->type, (unsigned long)t->size,
                t->type, (unsigned long)t->size);
        fprintf(out, "_Static_assert(_Alignof(%s) == %lu, "
                     "\"_Alignof(%s) differs from p11-kit (%lu)\");\n",
                t->type, (unsigned long)t->align,
                t->type, (unsigned long)t->align);
    }

    fprintf(out, "\n/* ---- signedness of integer typedefs ---- */\n");
    for (i = 0; i < COUNT(scalars); i++) {
        fprintf(out, "_Static_assert(((%s)-1 > (%s)0) == %d, "
                     "\"%s: signedness differs from p11-kit (%s)\");\n",
                scalars[i].type, scalars[i].type, scalars[i].is_unsigned,
                scalars[i].type,
                scalars[i].is_unsigned ? "unsigned" : "signed");
    }

    fprintf(out, "\n/* ---- structure members: offset and size ---- */\n");
    for (i = 0; i < COUNT(members); i++) {
        const struct member_fact *m = &members[i];
        fprintf(out, "_Static_assert(offsetof(%s, %s) == %lu, "
                     "\"%s.%s: offset differs from p11-kit (%lu)\");\n",
                m->type, m->member, (unsigned long)m->offset,
                m->type, m->member, (unsigned long)m->offset);
        fprintf(out, "_Static_assert(sizeof(((%s *)0)->%s) == %lu, "
                     "\"%s.%s: size differs from p11-kit (%lu)\");\n",
                m->type, m->member, (unsigned long)m->size,
                m->type, m->member, (unsigned long)m->size);
        if (strcmp(m->type, "CK_FUNCTION_LIST") == 0 ||
            strcmp(m->type, "CK_FUNCTION_LIST_3_0") == 0)
            function_list_members++;
    }

    fprintf(out, "\n#endif /* NVT_P11KIT_FACTS_H */\n");

    if (fclose(out) != 0) {
        perror(argv[1]);
        return 1;
    }

    printf("p11kit_dump: %lu constants, %lu types, %lu members "
           "(%lu of the function lists) written to %s\n",
           (unsigned long)COUNT(constants), (unsigned long)COUNT(types),
           (unsigned long)COUNT(members),
           (unsigned long)function_list_members, argv[1]);
    return 0;
}
