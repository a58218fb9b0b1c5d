#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>

/* OpenSSL function-like and aliased macros are not imported into Swift: thin wrappers. */
static inline void hm_openssl_free(void *ptr) { OPENSSL_free(ptr); }
static inline long hm_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
static inline int hm_evp_pkey_ed25519(void) { return EVP_PKEY_ED25519; }
