import COpenSSL
import HashmarkPrimitives
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An Ed25519 public key: a value (32 raw bytes), so it is freely `Sendable`.
/// The key id is the SHA-256 of the SubjectPublicKeyInfo DER, i.e. of the bytes inside
/// `hashmark.pub.pem` — anyone can recompute it with `openssl pkey -pubin -outform DER | sha256sum`.
public struct PublicKey: Sendable, Hashable {
    public static let rawLength = 32
    public let rawBytes: [UInt8]
    /// SubjectPublicKeyInfo DER.
    public let der: [UInt8]
    /// Lowercase hex SHA-256 of `der`.
    public let keyId: String

    public init(rawBytes: [UInt8]) throws {
        guard rawBytes.count == Self.rawLength else {
            throw ReportError(.keyFormat, "Ed25519 public key must be 32 bytes, got \(rawBytes.count)")
        }
        let pkey = try Self.makePKey(rawBytes)
        defer { EVP_PKEY_free(pkey) }
        try self.init(pkey: pkey)
    }

    /// Reads the public half of an OpenSSL key (the caller keeps ownership of `pkey`).
    init(pkey: OpaquePointer) throws {
        guard EVP_PKEY_get_id(pkey) == hm_evp_pkey_ed25519() else {
            throw ReportError(.keyFormat, "key is not Ed25519")
        }
        var raw = [UInt8](repeating: 0, count: Self.rawLength)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(pkey, &raw, &length) == 1, length == Self.rawLength else {
            throw ReportError.openssl("EVP_PKEY_get_raw_public_key")
        }
        let derLength = i2d_PUBKEY(pkey, nil)
        guard derLength > 0 else { throw ReportError.openssl("i2d_PUBKEY") }
        var der = [UInt8](repeating: 0, count: Int(derLength))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(pkey, &cursor)
        }
        guard written == derLength else { throw ReportError.openssl("i2d_PUBKEY") }
        self.rawBytes = raw
        self.der = der
        self.keyId = SHA256.hex(der)
    }

    /// Parses a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) holding an Ed25519 key.
    public static func load(pem: [UInt8]) throws -> PublicKey {
        let pkey = try withMemoryBIO(pem) { bio in PEM_read_bio_PUBKEY(bio, nil, nil, nil) }
        guard let pkey else { throw ReportError.openssl("not a PEM public key") }
        defer { EVP_PKEY_free(pkey) }
        return try PublicKey(pkey: pkey)
    }

    public static func load(pemPath: String) throws -> PublicKey {
        try load(pem: FileIO.readAll(pemPath, limit: 64 << 10))
    }

    /// PEM text as written to `hashmark.pub.pem`.
    public func pem() throws -> [UInt8] {
        let pkey = try Self.makePKey(rawBytes)
        defer { EVP_PKEY_free(pkey) }
        return try writeToMemoryBIO { bio in PEM_write_bio_PUBKEY(bio, pkey) }
    }

    /// True only for a valid 64-byte Ed25519 signature of exactly `message`.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        guard signature.count == 64, let pkey = try? Self.makePKey(rawBytes) else { return false }
        defer { EVP_PKEY_free(pkey) }
        guard let context = EVP_MD_CTX_new() else { ERR_clear_error(); return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, pkey) == 1 else { ERR_clear_error(); return false }
        let result = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        if result != 1 { ERR_clear_error() }
        return result == 1
    }

    private static func makePKey(_ raw: [UInt8]) throws -> OpaquePointer {
        guard let pkey = EVP_PKEY_new_raw_public_key(hm_evp_pkey_ed25519(), nil, raw, raw.count) else {
            throw ReportError.openssl("EVP_PKEY_new_raw_public_key")
        }
        return pkey
    }
}

/// An Ed25519 private key. The secret stays inside OpenSSL's memory (cleansed when freed)
/// rather than in a Swift array.
///
/// `@unchecked Sendable`: the `EVP_PKEY` is never mutated after creation, and every signature
/// uses its own `EVP_MD_CTX`, which OpenSSL 3 supports from several threads at once.
public final class SigningKey: @unchecked Sendable {
    private let pkey: OpaquePointer
    public let publicKey: PublicKey

    /// Takes ownership of `pkey` (freed on failure too).
    init(owning pkey: OpaquePointer) throws {
        do {
            self.publicKey = try PublicKey(pkey: pkey)
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
        self.pkey = pkey
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Loads `hashmark.key.pem`, refusing a file that group or others can read or write:
    /// a leaked signing key would let anyone forge reports.
    public static func load(pemPath: String) throws -> SigningKey {
        let fd = open(pemPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReportError.io("open \(pemPath)", errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReportError.io("fstat \(pemPath)", errno: errno) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ReportError(.keyFormat, "\(pemPath) is not a regular file")
        }
        let loose = info.st_mode & 0o077
        guard loose == 0 else {
            throw ReportError(.keyPermissions, "\(pemPath) has mode \(String(info.st_mode & 0o777, radix: 8)); "
                + "a private key must not be accessible by group or others (chmod 600)")
        }
        let pem = try FileIO.readAll(fd: fd, path: pemPath, limit: 64 << 10)
        return try load(pem: pem)
    }

    /// Parses an unencrypted PKCS#8 PEM private key. Never prompts for a passphrase.
    static func load(pem: [UInt8]) throws -> SigningKey {
        let pkey = try withMemoryBIO(pem) { bio in
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let pkey else { throw ReportError.openssl("not an unencrypted PEM private key") }
        guard EVP_PKEY_get_id(pkey) == hm_evp_pkey_ed25519() else {
            EVP_PKEY_free(pkey)
            throw ReportError(.keyFormat, "private key is not Ed25519")
        }
        return try SigningKey(owning: pkey)
    }

    /// PKCS#8 PEM of the private key (`-----BEGIN PRIVATE KEY-----`).
    func privatePEM() throws -> [UInt8] {
        try writeToMemoryBIO { bio in PEM_write_bio_PrivateKey(bio, pkey, nil, nil, 0, nil, nil) }
    }

    /// Raw 64-byte Ed25519 signature over exactly `message` (deterministic, RFC 8032).
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw ReportError.openssl("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, nil, nil, pkey) == 1 else {
            throw ReportError.openssl("EVP_DigestSignInit")
        }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        let ok = message.withUnsafeBufferPointer { msg in
            EVP_DigestSign(context, &signature, &length, msg.baseAddress, msg.count)
        }
        guard ok == 1, length == 64 else { throw ReportError.openssl("EVP_DigestSign") }
        return signature
    }
}

/// A freshly generated key pair and its on-disk form.
public struct KeyPair: Sendable {
    public static let privateKeyFileName = "hashmark.key.pem"
    public static let publicKeyFileName = "hashmark.pub.pem"

    public let signingKey: SigningKey
    public var publicKey: PublicKey { signingKey.publicKey }

    public static func generate() throws -> KeyPair {
        guard let context = EVP_PKEY_CTX_new_id(hm_evp_pkey_ed25519(), nil) else {
            throw ReportError.openssl("EVP_PKEY_CTX_new_id(ED25519)")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw ReportError.openssl("EVP_PKEY_keygen_init") }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen(context, &pkey) == 1, let pkey else { throw ReportError.openssl("EVP_PKEY_keygen") }
        return KeyPair(signingKey: try SigningKey(owning: pkey))
    }

    /// Writes `hashmark.key.pem` (created 0600, refuses to overwrite an existing key) and
    /// `hashmark.pub.pem` (0644) into `directory`. Returns the two paths.
    @discardableResult
    public func write(toDirectory directory: String) throws -> (privateKey: String, publicKey: String) {
        let privatePath = directory + "/" + Self.privateKeyFileName
        let publicPath = directory + "/" + Self.publicKeyFileName
        try FileIO.writeAtomically(try signingKey.privatePEM(), to: privatePath, mode: 0o600, replace: false)
        try FileIO.writeAtomically(try publicKey.pem(), to: publicPath, mode: 0o644, replace: true)
        return (privatePath, publicPath)
    }
}

/// Runs `body` with a read-only memory BIO over `bytes`.
func withMemoryBIO<T>(_ bytes: [UInt8], _ body: (OpaquePointer) -> T) throws -> T {
    guard bytes.count < Int32.max else { throw ReportError(.keyFormat, "PEM input too large") }
    return try bytes.withUnsafeBytes { raw in
        guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
            throw ReportError.openssl("BIO_new_mem_buf")
        }
        defer { BIO_free(bio) }
        return body(bio)
    }
}

/// Runs a PEM writer against a growable memory BIO and returns what it wrote.
func writeToMemoryBIO(_ body: (OpaquePointer) -> Int32) throws -> [UInt8] {
    guard let bio = BIO_new(BIO_s_mem()) else { throw ReportError.openssl("BIO_new") }
    defer { BIO_free(bio) }
    guard body(bio) == 1 else { throw ReportError.openssl("PEM write") }
    var data: UnsafeMutablePointer<CChar>?
    let length = hm_bio_get_mem_data(bio, &data)
    guard length > 0, let data else { throw ReportError.openssl("BIO_get_mem_data") }
    return Array(UnsafeRawBufferPointer(start: data, count: Int(length)))
}
