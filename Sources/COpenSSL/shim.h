#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

/*
 * OpenSSL spells many settings as macros over SSL_CTX_ctrl and BIO_set_flags, and its option
 * bits as casts Swift cannot import. These helpers are those macros as functions or constants.
 */

/* Option bits (SSL_OP_BIT casts). */
static const uint64_t WHARF_SSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;
static const uint64_t WHARF_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t WHARF_SSL_OP_IGNORE_UNEXPECTED_EOF = SSL_OP_IGNORE_UNEXPECTED_EOF;
static const uint64_t WHARF_SSL_OP_NO_TICKET = SSL_OP_NO_TICKET;

/* Mode bits. */
static const long WHARF_SSL_MODE_ENABLE_PARTIAL_WRITE = SSL_MODE_ENABLE_PARTIAL_WRITE;
static const long WHARF_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER = SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
static const long WHARF_SSL_MODE_RELEASE_BUFFERS = SSL_MODE_RELEASE_BUFFERS;

static inline long wharf_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline int wharf_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int wharf_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long wharf_SSL_CTX_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}

static inline long wharf_SSL_CTX_sess_set_cache_size(SSL_CTX *ctx, long size) {
    return SSL_CTX_sess_set_cache_size(ctx, size);
}

/* Session ticket keys: 80 bytes (16 name, 32 HMAC secret, 32 AES key). Returns 1 on success. */
static inline long wharf_SSL_CTX_set_tlsext_ticket_keys(SSL_CTX *ctx, void *keys, long length) {
    return SSL_CTX_set_tlsext_ticket_keys(ctx, keys, length);
}

typedef int (*wharf_servername_callback)(SSL *ssl, int *alert, void *argument);

/* Installs the SNI callback and its argument. Returns 1 on success. */
static inline long wharf_SSL_CTX_set_servername_callback(SSL_CTX *ctx, wharf_servername_callback callback, void *argument) {
    if (SSL_CTX_set_tlsext_servername_callback(ctx, callback) != 1) return 0;
    return SSL_CTX_set_tlsext_servername_arg(ctx, argument);
}

/* The SNI name a client sends. Returns 1 on success. */
static inline long wharf_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

/* BIO retry flags, for the socket BIO written in Swift. */
static inline void wharf_BIO_set_retry_read(BIO *bio) { BIO_set_retry_read(bio); }
static inline void wharf_BIO_set_retry_write(BIO *bio) { BIO_set_retry_write(bio); }
static inline void wharf_BIO_clear_retry_flags(BIO *bio) { BIO_clear_retry_flags(bio); }

/* subjectAltName of a certificate (NULL when it has none); free with GENERAL_NAMES_free. */
static inline GENERAL_NAMES *wharf_X509_subject_alt_names(X509 *certificate) {
    return (GENERAL_NAMES *)X509_get_ext_d2i(certificate, NID_subject_alt_name, NULL, NULL);
}

static inline int wharf_GENERAL_NAMES_count(GENERAL_NAMES *names) {
    return sk_GENERAL_NAME_num(names);
}

/* The DNS name at `index` (its bytes, length in *length), or NULL when that entry is not a DNS name. */
static inline const unsigned char *wharf_GENERAL_NAMES_dns_name(GENERAL_NAMES *names, int index, int *length) {
    const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, index);
    if (name == NULL || name->type != GEN_DNS) return NULL;
    *length = ASN1_STRING_length(name->d.dNSName);
    return ASN1_STRING_get0_data(name->d.dNSName);
}
