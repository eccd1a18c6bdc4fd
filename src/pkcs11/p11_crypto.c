/* Cryptographic functions (PKCS#11 v2.40 sections 5.8 to 5.16): every one
 * goes to the token's operation engine, which dispatches on the mechanism
 * table; a mechanism the table lacks is CKR_MECHANISM_INVALID. A function
 * the profile leaves out (no mechanism of its kind, or no multi-part
 * operations: include/nvtoken/config.h) is CKR_FUNCTION_NOT_SUPPORTED. Pointers the
 * engine must see even when NULL (a bad argument ends an active operation)
 * are passed through unchecked. */
#include "p11_internal.h"

/* ---- init, one per kind ------------------------------------------------ */

static CK_RV op_init(CK_SESSION_HANDLE hSession, tok_op_kind_t kind, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pMechanism != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_op_init(hSession, kind, pMechanism, hKey));
}

CK_RV C_EncryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
#if NVT_TOKEN_HAS_ENCRYPT
    return op_init(hSession, TOK_OP_ENCRYPT, pMechanism, hKey);
#else
    (void)hSession, (void)pMechanism, (void)hKey;
    P11_LEFT_OUT();
#endif
}

CK_RV C_DecryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
#if NVT_TOKEN_HAS_ENCRYPT
    return op_init(hSession, TOK_OP_DECRYPT, pMechanism, hKey);
#else
    (void)hSession, (void)pMechanism, (void)hKey;
    P11_LEFT_OUT();
#endif
}

CK_RV C_DigestInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism)
{
#if NVT_TOKEN_HAS_DIGEST
    return op_init(hSession, TOK_OP_DIGEST, pMechanism, CK_INVALID_HANDLE);
#else
    (void)hSession, (void)pMechanism;
    P11_LEFT_OUT();
#endif
}

CK_RV C_SignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return op_init(hSession, TOK_OP_SIGN, pMechanism, hKey);
}

CK_RV C_SignRecoverInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return op_init(hSession, TOK_OP_SIGN_RECOVER, pMechanism, hKey);
}

CK_RV C_VerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return op_init(hSession, TOK_OP_VERIFY, pMechanism, hKey);
}

CK_RV C_VerifyRecoverInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    return op_init(hSession, TOK_OP_VERIFY_RECOVER, pMechanism, hKey);
}

/* ---- single-part, update, final ---------------------------------------- */

static CK_RV op_single(CK_SESSION_HANDLE hSession, tok_op_kind_t kind, CK_BYTE_PTR in, CK_ULONG in_len,
                       CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_op_single(hSession, kind, in, in_len, out, out_len));
}

#if NVT_CONFIG_TOKEN_MULTIPART
static CK_RV op_update(CK_SESSION_HANDLE hSession, tok_op_kind_t kind, CK_BYTE_PTR in, CK_ULONG in_len,
                       CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_op_update(hSession, kind, in, in_len, out, out_len));
}

static CK_RV op_final(CK_SESSION_HANDLE hSession, tok_op_kind_t kind, CK_BYTE_PTR out, CK_ULONG_PTR out_len)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_op_final(hSession, kind, out, out_len));
}
#endif

CK_RV C_Encrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pEncryptedData,
                CK_ULONG_PTR pulEncryptedDataLen)
{
#if NVT_TOKEN_HAS_ENCRYPT
    return op_single(hSession, TOK_OP_ENCRYPT, pData, ulDataLen, pEncryptedData, pulEncryptedDataLen);
#else
    (void)hSession, (void)pData, (void)ulDataLen, (void)pEncryptedData, (void)pulEncryptedDataLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_EncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen, CK_BYTE_PTR pEncryptedPart,
                      CK_ULONG_PTR pulEncryptedPartLen)
{
#if NVT_TOKEN_HAS_ENCRYPT && NVT_CONFIG_TOKEN_MULTIPART
    return op_update(hSession, TOK_OP_ENCRYPT, pPart, ulPartLen, pEncryptedPart, pulEncryptedPartLen);
#else
    (void)hSession, (void)pPart, (void)ulPartLen, (void)pEncryptedPart, (void)pulEncryptedPartLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_EncryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastEncryptedPart, CK_ULONG_PTR pulLastEncryptedPartLen)
{
#if NVT_TOKEN_HAS_ENCRYPT && NVT_CONFIG_TOKEN_MULTIPART
    return op_final(hSession, TOK_OP_ENCRYPT, pLastEncryptedPart, pulLastEncryptedPartLen);
#else
    (void)hSession, (void)pLastEncryptedPart, (void)pulLastEncryptedPartLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_Decrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedData, CK_ULONG ulEncryptedDataLen,
                CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen)
{
#if NVT_TOKEN_HAS_ENCRYPT
    return op_single(hSession, TOK_OP_DECRYPT, pEncryptedData, ulEncryptedDataLen, pData, pulDataLen);
#else
    (void)hSession, (void)pEncryptedData, (void)ulEncryptedDataLen, (void)pData, (void)pulDataLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_DecryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart, CK_ULONG ulEncryptedPartLen,
                      CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
#if NVT_TOKEN_HAS_ENCRYPT && NVT_CONFIG_TOKEN_MULTIPART
    return op_update(hSession, TOK_OP_DECRYPT, pEncryptedPart, ulEncryptedPartLen, pPart, pulPartLen);
#else
    (void)hSession, (void)pEncryptedPart, (void)ulEncryptedPartLen, (void)pPart, (void)pulPartLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_DecryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastPart, CK_ULONG_PTR pulLastPartLen)
{
#if NVT_TOKEN_HAS_ENCRYPT && NVT_CONFIG_TOKEN_MULTIPART
    return op_final(hSession, TOK_OP_DECRYPT, pLastPart, pulLastPartLen);
#else
    (void)hSession, (void)pLastPart, (void)pulLastPartLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
               CK_ULONG_PTR pulDigestLen)
{
#if NVT_TOKEN_HAS_DIGEST
    return op_single(hSession, TOK_OP_DIGEST, pData, ulDataLen, pDigest, pulDigestLen);
#else
    (void)hSession, (void)pData, (void)ulDataLen, (void)pDigest, (void)pulDigestLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
#if NVT_TOKEN_HAS_DIGEST && NVT_CONFIG_TOKEN_MULTIPART
    return op_update(hSession, TOK_OP_DIGEST, pPart, ulPartLen, NULL_PTR, NULL_PTR);
#else
    (void)hSession, (void)pPart, (void)ulPartLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_DigestKey(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey)
{
#if NVT_TOKEN_HAS_DIGEST && NVT_CONFIG_TOKEN_MULTIPART
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_digest_key(hSession, hKey));
#else
    (void)hSession, (void)hKey;
    P11_LEFT_OUT();
#endif
}

CK_RV C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen)
{
#if NVT_TOKEN_HAS_DIGEST && NVT_CONFIG_TOKEN_MULTIPART
    return op_final(hSession, TOK_OP_DIGEST, pDigest, pulDigestLen);
#else
    (void)hSession, (void)pDigest, (void)pulDigestLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
             CK_ULONG_PTR pulSignatureLen)
{
    return op_single(hSession, TOK_OP_SIGN, pData, ulDataLen, pSignature, pulSignatureLen);
}

CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
#if NVT_CONFIG_TOKEN_MULTIPART
    return op_update(hSession, TOK_OP_SIGN, pPart, ulPartLen, NULL_PTR, NULL_PTR);
#else
    (void)hSession, (void)pPart, (void)ulPartLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
#if NVT_CONFIG_TOKEN_MULTIPART
    return op_final(hSession, TOK_OP_SIGN, pSignature, pulSignatureLen);
#else
    (void)hSession, (void)pSignature, (void)pulSignatureLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_SignRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                    CK_ULONG_PTR pulSignatureLen)
{
    return op_single(hSession, TOK_OP_SIGN_RECOVER, pData, ulDataLen, pSignature, pulSignatureLen);
}

CK_RV C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
               CK_ULONG ulSignatureLen)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_verify(hSession, pData, ulDataLen, pSignature, ulSignatureLen));
}

CK_RV C_VerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
#if NVT_CONFIG_TOKEN_MULTIPART
    return op_update(hSession, TOK_OP_VERIFY, pPart, ulPartLen, NULL_PTR, NULL_PTR);
#else
    (void)hSession, (void)pPart, (void)ulPartLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_VerifyFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
#if NVT_CONFIG_TOKEN_MULTIPART
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_verify_final(hSession, pSignature, ulSignatureLen));
#else
    (void)hSession, (void)pSignature, (void)ulSignatureLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_VerifyRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen, CK_BYTE_PTR pData,
                      CK_ULONG_PTR pulDataLen)
{
    return op_single(hSession, TOK_OP_VERIFY_RECOVER, pSignature, ulSignatureLen, pData, pulDataLen);
}

/* ---- dual-function operations (section 5.13): not offered -------------- */

CK_RV C_DigestEncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                            CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen)
{
    (void)hSession;
    (void)pPart;
    (void)ulPartLen;
    (void)pEncryptedPart;
    (void)pulEncryptedPartLen;
    P11_LEFT_OUT();
}

CK_RV C_DecryptDigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart, CK_ULONG ulEncryptedPartLen,
                            CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
    (void)hSession;
    (void)pEncryptedPart;
    (void)ulEncryptedPartLen;
    (void)pPart;
    (void)pulPartLen;
    P11_LEFT_OUT();
}

CK_RV C_SignEncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                          CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen)
{
    (void)hSession;
    (void)pPart;
    (void)ulPartLen;
    (void)pEncryptedPart;
    (void)pulEncryptedPartLen;
    P11_LEFT_OUT();
}

CK_RV C_DecryptVerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart, CK_ULONG ulEncryptedPartLen,
                            CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
    (void)hSession;
    (void)pEncryptedPart;
    (void)ulEncryptedPartLen;
    (void)pPart;
    (void)pulPartLen;
    P11_LEFT_OUT();
}

/* ---- keys (section 5.14) ----------------------------------------------- */

CK_RV C_GenerateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_ATTRIBUTE_PTR pTemplate,
                    CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phKey)
{
#if NVT_TOKEN_HAS_GENERATE_KEY
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pMechanism != NULL_PTR && (pTemplate != NULL_PTR || ulCount == 0) && phKey != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_generate_key(hSession, pMechanism, pTemplate, ulCount, phKey));
#else
    (void)hSession, (void)pMechanism, (void)pTemplate, (void)ulCount, (void)phKey;
    P11_LEFT_OUT();
#endif
}

CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_ATTRIBUTE_PTR pPublicKeyTemplate,
                        CK_ULONG ulPublicKeyAttributeCount, CK_ATTRIBUTE_PTR pPrivateKeyTemplate,
                        CK_ULONG ulPrivateKeyAttributeCount, CK_OBJECT_HANDLE_PTR phPublicKey,
                        CK_OBJECT_HANDLE_PTR phPrivateKey)
{
#if NVT_TOKEN_HAS_GENERATE_KEY_PAIR
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pMechanism != NULL_PTR && (pPublicKeyTemplate != NULL_PTR || ulPublicKeyAttributeCount == 0) &&
                     (pPrivateKeyTemplate != NULL_PTR || ulPrivateKeyAttributeCount == 0) &&
                     phPublicKey != NULL_PTR && phPrivateKey != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_generate_key_pair(hSession, pMechanism, pPublicKeyTemplate, ulPublicKeyAttributeCount,
                                                  pPrivateKeyTemplate, ulPrivateKeyAttributeCount, phPublicKey,
                                                  phPrivateKey));
#else
    (void)hSession, (void)pMechanism, (void)pPublicKeyTemplate, (void)ulPublicKeyAttributeCount, (void)pPrivateKeyTemplate, (void)ulPrivateKeyAttributeCount, (void)phPublicKey, (void)phPrivateKey;
    P11_LEFT_OUT();
#endif
}

CK_RV C_WrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hWrappingKey,
                CK_OBJECT_HANDLE hKey, CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen)
{
#if NVT_TOKEN_HAS_WRAP
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pMechanism != NULL_PTR && pulWrappedKeyLen != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_wrap_key(hSession, pMechanism, hWrappingKey, hKey, pWrappedKey, pulWrappedKeyLen));
#else
    (void)hSession, (void)pMechanism, (void)hWrappingKey, (void)hKey, (void)pWrappedKey, (void)pulWrappedKeyLen;
    P11_LEFT_OUT();
#endif
}

CK_RV C_UnwrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hUnwrappingKey,
                  CK_BYTE_PTR pWrappedKey, CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                  CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey)
{
#if NVT_TOKEN_HAS_WRAP
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pMechanism != NULL_PTR && (pWrappedKey != NULL_PTR || ulWrappedKeyLen == 0) &&
                     (pTemplate != NULL_PTR || ulAttributeCount == 0) && phKey != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_unwrap_key(hSession, pMechanism, hUnwrappingKey, pWrappedKey, ulWrappedKeyLen,
                                           pTemplate, ulAttributeCount, phKey));
#else
    (void)hSession, (void)pMechanism, (void)hUnwrappingKey, (void)pWrappedKey, (void)ulWrappedKeyLen, (void)pTemplate, (void)ulAttributeCount, (void)phKey;
    P11_LEFT_OUT();
#endif
}

CK_RV C_DeriveKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hBaseKey,
                  CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey)
{
#if NVT_TOKEN_HAS_DERIVE
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pMechanism != NULL_PTR && (pTemplate != NULL_PTR || ulAttributeCount == 0) && phKey != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_derive_key(hSession, pMechanism, hBaseKey, pTemplate, ulAttributeCount, phKey));
#else
    (void)hSession, (void)pMechanism, (void)hBaseKey, (void)pTemplate, (void)ulAttributeCount, (void)phKey;
    P11_LEFT_OUT();
#endif
}

/* ---- random numbers (section 5.15) --------------------------------------- */

CK_RV C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed, CK_ULONG ulSeedLen)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pSeed != NULL_PTR || ulSeedLen == 0);
    P11_LOCKED_RETURN(nvt_token_seed_random(hSession, pSeed, ulSeedLen));
}

CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR RandomData, CK_ULONG ulRandomLen)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(RandomData != NULL_PTR || ulRandomLen == 0);
    P11_LOCKED_RETURN(nvt_token_generate_random(hSession, RandomData, ulRandomLen));
}
