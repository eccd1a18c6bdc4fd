/**
 * \file nvt_token.h
 * \brief The token layer as the PKCS#11 layer calls it.
 *
 * One function per PKCS#11 operation, with PKCS#11 types and return codes.
 * The caller (src/pkcs11/) has checked that the library is initialised and
 * that the pointers a function dereferences unconditionally are not NULL,
 * and holds the library lock for the duration of the call; everything else
 * - handles, session states, login, templates, policy - is decided here.
 *
 * Buffer ownership: no function keeps a pointer to a caller's buffer after
 * it returns (templates are copied into objects, PINs are wiped from the
 * token's own copies).
 */
#ifndef NVT_TOKEN_API_H
#define NVT_TOKEN_API_H

#include "nvtoken/pkcs11.h"
#include "tok_mech.h"

/* ------------------------------------------------------------------------
 * Library
 * ---------------------------------------------------------------------- */

/**
 * \brief Bring the token up: take the configuration (nvt_token_configure()
 *        or the platform default), mount each slot's store, start crypto.
 *        A slot whose store cannot be mounted reports no token.
 * \return CKR_OK; CKR_FUNCTION_FAILED (no configuration, crypto cannot
 *         start); CKR_HOST_MEMORY.
 */
CK_RV nvt_token_init(void);

/** \brief Close every session, unmount, stop crypto, release memory. */
void nvt_token_finalize(void);

/** \brief What C_GetInfo reports (library version, manufacturer,
 *         description); cryptokiVersion is left 0 for the caller to set:
 *         it depends on the function list C_GetInfo came from. */
void nvt_token_library_info(CK_INFO *info);

/* ------------------------------------------------------------------------
 * Slots and tokens
 * ---------------------------------------------------------------------- */

CK_RV nvt_token_slot_list(CK_BBOOL token_present, CK_SLOT_ID *list, CK_ULONG *count);
CK_RV nvt_token_slot_info(CK_SLOT_ID slot, CK_SLOT_INFO *info);
CK_RV nvt_token_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO *info);
/**
 * \brief C_WaitForSlotEvent. A slot event is a token appearing in a slot
 *        or leaving it (its region became readable as a store or stopped
 *        being one: an image file created, made unreadable or foreign), or
 *        the token in a slot replaced by another (initialised by another
 *        process). Events are noticed whenever the library looks at a slot
 *        another process shares, and here; each is reported once, the
 *        lowest slot first.
 * \param flags CKF_DONT_BLOCK: answer at once. Without it a pending event
 *        is still reported at once, but with none the call would have to
 *        block, which this token cannot do.
 * \return CKR_OK (*slot set); CKR_NO_EVENT (CKF_DONT_BLOCK, nothing
 *         happened); CKR_FUNCTION_NOT_SUPPORTED (blocking wait, nothing
 *         happened).
 */
CK_RV nvt_token_wait_for_slot_event(CK_FLAGS flags, CK_SLOT_ID *slot);
CK_RV nvt_token_mechanism_list(CK_SLOT_ID slot, CK_MECHANISM_TYPE *list, CK_ULONG *count);
CK_RV nvt_token_mechanism_info(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO *info);

/** \p label: 32 bytes, blank padded (C_InitToken). */
CK_RV nvt_token_init_token(CK_SLOT_ID slot, const CK_UTF8CHAR *pin, CK_ULONG pin_len, const CK_UTF8CHAR *label);
CK_RV nvt_token_init_pin(CK_SESSION_HANDLE hs, const CK_UTF8CHAR *pin, CK_ULONG pin_len);
CK_RV nvt_token_set_pin(CK_SESSION_HANDLE hs, const CK_UTF8CHAR *old_pin, CK_ULONG old_len,
                        const CK_UTF8CHAR *new_pin, CK_ULONG new_len);

/* ------------------------------------------------------------------------
 * Sessions and login
 * ---------------------------------------------------------------------- */

CK_RV nvt_token_open_session(CK_SLOT_ID slot, CK_FLAGS flags, CK_SESSION_HANDLE *hs);
CK_RV nvt_token_close_session(CK_SESSION_HANDLE hs);
CK_RV nvt_token_close_all_sessions(CK_SLOT_ID slot);
CK_RV nvt_token_session_info(CK_SESSION_HANDLE hs, CK_SESSION_INFO *info);
/** \brief CKR_OK if \p hs is an open session, else CKR_SESSION_HANDLE_INVALID. */
CK_RV nvt_token_session_check(CK_SESSION_HANDLE hs);
CK_RV nvt_token_login(CK_SESSION_HANDLE hs, CK_USER_TYPE user, const CK_UTF8CHAR *pin, CK_ULONG pin_len);
CK_RV nvt_token_logout(CK_SESSION_HANDLE hs);
/**
 * \brief C_SessionCancel: end the operations of \p hs that \p flags names
 *        (CK_MECHANISM_INFO flags: CKF_ENCRYPT, CKF_DECRYPT, CKF_DIGEST,
 *        CKF_SIGN, CKF_SIGN_RECOVER, CKF_VERIFY, CKF_VERIFY_RECOVER, and
 *        CKF_FIND_OBJECTS for a search), as if never initialised. A flag
 *        naming no active operation (or one this token never keeps active,
 *        such as CKF_GENERATE) is ignored; nothing fails to cancel.
 * \return CKR_OK or CKR_SESSION_HANDLE_INVALID.
 */
CK_RV nvt_token_session_cancel(CK_SESSION_HANDLE hs, CK_FLAGS flags);

/* ------------------------------------------------------------------------
 * Objects
 * ---------------------------------------------------------------------- */

CK_RV nvt_token_create_object(CK_SESSION_HANDLE hs, const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_OBJECT_HANDLE *ho);
CK_RV nvt_token_copy_object(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                            CK_OBJECT_HANDLE *hnew);
CK_RV nvt_token_destroy_object(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho);
CK_RV nvt_token_object_size(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho, CK_ULONG *size);
CK_RV nvt_token_get_attributes(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho, CK_ATTRIBUTE *tmpl, CK_ULONG n);
CK_RV nvt_token_set_attributes(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE ho, const CK_ATTRIBUTE *tmpl, CK_ULONG n);
CK_RV nvt_token_find_init(CK_SESSION_HANDLE hs, const CK_ATTRIBUTE *tmpl, CK_ULONG n);
CK_RV nvt_token_find(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE *found, CK_ULONG max, CK_ULONG *count);
CK_RV nvt_token_find_final(CK_SESSION_HANDLE hs);

/* ------------------------------------------------------------------------
 * Cryptographic operations, through the mechanism dispatch table
 *
 * Pointers that may be NULL are checked here, because a bad argument ends
 * an active operation (the PKCS#11 layer cannot know whether one is).
 * ---------------------------------------------------------------------- */

/** C_EncryptInit, C_DecryptInit, C_DigestInit (hkey ignored), C_SignInit,
 *  C_VerifyInit, C_SignRecoverInit, C_VerifyRecoverInit. */
CK_RV nvt_token_op_init(CK_SESSION_HANDLE hs, tok_op_kind_t kind, const CK_MECHANISM *mech, CK_OBJECT_HANDLE hkey);

/** C_Encrypt, C_Decrypt, C_Digest, C_Sign, C_SignRecover, C_VerifyRecover. */
CK_RV nvt_token_op_single(CK_SESSION_HANDLE hs, tok_op_kind_t kind, const CK_BYTE *in, CK_ULONG in_len,
                          CK_BYTE *out, CK_ULONG *out_len);

/** C_EncryptUpdate, C_DecryptUpdate (output), C_DigestUpdate, C_SignUpdate,
 *  C_VerifyUpdate (out and out_len NULL). */
CK_RV nvt_token_op_update(CK_SESSION_HANDLE hs, tok_op_kind_t kind, const CK_BYTE *in, CK_ULONG in_len,
                          CK_BYTE *out, CK_ULONG *out_len);

/** C_EncryptFinal, C_DecryptFinal, C_DigestFinal, C_SignFinal. */
CK_RV nvt_token_op_final(CK_SESSION_HANDLE hs, tok_op_kind_t kind, CK_BYTE *out, CK_ULONG *out_len);

/** C_Verify. */
CK_RV nvt_token_verify(CK_SESSION_HANDLE hs, const CK_BYTE *data, CK_ULONG len, const CK_BYTE *sig, CK_ULONG sig_len);
/** C_VerifyFinal. */
CK_RV nvt_token_verify_final(CK_SESSION_HANDLE hs, const CK_BYTE *sig, CK_ULONG sig_len);
/** C_DigestKey. */
CK_RV nvt_token_digest_key(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE hkey);

CK_RV nvt_token_generate_key(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                             CK_OBJECT_HANDLE *hkey);
CK_RV nvt_token_generate_key_pair(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, const CK_ATTRIBUTE *pub,
                                  CK_ULONG pub_n, const CK_ATTRIBUTE *priv, CK_ULONG priv_n, CK_OBJECT_HANDLE *hpub,
                                  CK_OBJECT_HANDLE *hpriv);
CK_RV nvt_token_wrap_key(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, CK_OBJECT_HANDLE hwrapping,
                         CK_OBJECT_HANDLE hkey, CK_BYTE *out, CK_ULONG *out_len);
CK_RV nvt_token_unwrap_key(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, CK_OBJECT_HANDLE hunwrapping,
                           const CK_BYTE *wrapped, CK_ULONG len, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                           CK_OBJECT_HANDLE *hkey);
CK_RV nvt_token_derive_key(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, CK_OBJECT_HANDLE hbase,
                           const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_OBJECT_HANDLE *hkey);

/** nvt_token_psa_key_lend() (include/nvtoken/psa_key.h); \p id not NULL. */
CK_RV nvt_token_lend(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE hkey, uint32_t *id);
/** nvt_token_psa_key_return(). */
CK_RV nvt_token_lend_return(CK_SESSION_HANDLE hs);

CK_RV nvt_token_seed_random(CK_SESSION_HANDLE hs, const CK_BYTE *seed, CK_ULONG len);
CK_RV nvt_token_generate_random(CK_SESSION_HANDLE hs, CK_BYTE *out, CK_ULONG len);

#endif /* NVT_TOKEN_API_H */
