/* What the signature mechanisms share (tok_mech_ec.c, tok_mech_rsa.c): the
 * output length, hashing the data of the multi-part mechanisms, the final
 * call that signs or verifies the digest, and the end of the operation. */
#include "tok_mech.h"

#if NVT_CONFIG_MECH_ECDSA || NVT_CONFIG_MECH_RSA

CK_RV tok_sig_out_len(const tok_op_t *op, CK_ULONG in_len, int last, CK_ULONG *len)
{
    (void)in_len;
    *len = last ? op->ctx.sig.len : 0;
    return CKR_OK;
}

CK_RV tok_sig_update(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    (void)out;
    (void)out_len;
    return nvt_crypto_hash_update(&op->ctx.sig.h, in, in_len) == NVT_OK ? CKR_OK : CKR_FUNCTION_FAILED;
}

CK_RV tok_sig_final(tok_op_t *op, tok_sig_fn_t fn, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out,
                    CK_ULONG *out_len)
{
    tok_sig_ctx_t *c = &op->ctx.sig;
    if (op->kind == TOK_OP_SIGN && *out_len < c->len) {
        *out_len = c->len; /* the digest is still open: the retry can finish it */
        return CKR_BUFFER_TOO_SMALL;
    }
    uint8_t h[NVT_CRYPTO_HASH_MAX];
    size_t h_len = 0;
    if (nvt_crypto_hash_finish(&c->h, h, sizeof(h), &h_len) != NVT_OK) {
        return CKR_FUNCTION_FAILED;
    }
    CK_RV rv = fn(op, h, h_len, sig, sig_len, out, out_len);
    nvt_crypto_zeroize(h, sizeof(h));
    return rv;
}

void tok_sig_free(tok_op_t *op)
{
    nvt_crypto_hash_abort(&op->ctx.sig.h);
    tok_key_release(&op->ctx.sig.key);
}

#endif /* NVT_CONFIG_MECH_ECDSA || NVT_CONFIG_MECH_RSA */
