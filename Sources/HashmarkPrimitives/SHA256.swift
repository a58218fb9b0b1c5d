import COpenSSL

/// SHA-256 (FIPS 180-4), streaming, computed by OpenSSL's EVP interface (the same library that
/// signs the reports; its SHA extensions make a file hash a fraction of a millisecond). The one
/// SHA-256 of the package: corpus digests, subject and report hashes, key ids.
///
/// A value type: a copy made before `finalize()` continues independently (copy-on-write of the
/// OpenSSL context). The known-answer vectors in the tests pin it.
public struct SHA256: Sendable {
    private var box: Context

    public init() { box = Context() }

    /// Feeds bytes; may be called any number of times.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        if !isKnownUniquelyReferenced(&box) { box = box.copy() }
        let context = box
        let done: Void? = bytes.withContiguousStorageIfAvailable { context.update(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { context.update($0) } }
    }

    /// Feeds raw memory without copying it (file chunks).
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        if !isKnownUniquelyReferenced(&box) { box = box.copy() }
        box.update(buffer)
    }

    /// Feeds a string's UTF-8 bytes followed by a 0 byte, so adjacent fields cannot run together.
    public mutating func updateField(_ s: String) {
        update(s.utf8)
        update(CollectionOfOne(0))
    }

    /// Feeds a 64-bit integer, big-endian.
    public mutating func update(_ v: Int64) {
        let u = UInt64(bitPattern: v)
        update((0..<8).map { UInt8(truncatingIfNeeded: u >> UInt64(56 - 8 * $0)) })
    }

    /// The 32-byte digest. The hasher is consumed (call on a copy to keep going).
    public mutating func finalize() -> [UInt8] {
        if !isKnownUniquelyReferenced(&box) { box = box.copy() }
        return box.finalize()
    }

    /// One-shot digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var h = SHA256()
        h.update(bytes)
        return h.finalize()
    }

    /// One-shot digest as 64 lower-case hex digits (`Hex.encode` of `hash`).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String { Hex.encode(hash(bytes)) }

    /// The OpenSSL digest context. Only ever mutated through a uniquely referenced box, so sharing
    /// it between copies of `SHA256` is safe.
    private final class Context: @unchecked Sendable {
        /// An initialised SHA-256 context. OpenSSL fails to make one only when out of memory,
        /// which traps here as a failed Swift allocation would (no input reaches that path).
        let pointer: OpaquePointer

        init() {
            guard let p = EVP_MD_CTX_new(), EVP_DigestInit_ex(p, EVP_sha256(), nil) == 1 else {
                fatalError("OpenSSL: cannot initialise a SHA-256 context (out of memory)")
            }
            pointer = p
        }

        private init(copying other: OpaquePointer) {
            guard let p = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(p, other) == 1 else {
                fatalError("OpenSSL: cannot copy a SHA-256 context (out of memory)")
            }
            pointer = p
        }

        deinit { EVP_MD_CTX_free(pointer) }

        func copy() -> Context { Context(copying: pointer) }

        func update(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            // EVP_DigestUpdate on an initialised SHA-256 context does not fail.
            _ = EVP_DigestUpdate(pointer, base, bytes.count)
        }

        func finalize() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: 32)
            var length: UInt32 = 0
            _ = EVP_DigestFinal_ex(pointer, &digest, &length)
            // Re-arm, so a consumed hasher hashes from scratch instead of failing.
            _ = EVP_DigestInit_ex(pointer, EVP_sha256(), nil)
            return digest
        }
    }
}
