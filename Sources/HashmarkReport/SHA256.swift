import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Incremental SHA-256 through OpenSSL EVP, for inputs that should not sit in memory at once.
/// Not `Sendable`: one hasher belongs to one task.
public final class SHA256Hasher {
    private let context: OpaquePointer
    private var finished = false

    public init() throws {
        guard let context = EVP_MD_CTX_new() else { throw ReportError.openssl("EVP_MD_CTX_new") }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw ReportError.openssl("EVP_DigestInit_ex(sha256)")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { throw ReportError(.openssl, "SHA256Hasher used after finalize()") }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else {
            throw ReportError.openssl("EVP_DigestUpdate")
        }
    }

    public func update(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try update($0) }
    }

    /// The 32-byte digest; the hasher cannot be updated afterwards.
    public func finalize() throws -> [UInt8] {
        guard !finished else { throw ReportError(.openssl, "SHA256Hasher finalized twice") }
        finished = true
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, length == 32 else {
            throw ReportError.openssl("EVP_DigestFinal_ex")
        }
        return Array(digest.prefix(32))
    }
}

/// One-shot SHA-256 helpers.
public enum SHA256Digest {
    /// Read size for file hashing: large enough for throughput, small enough that a 100 MB
    /// file costs 1 MiB of memory, not 100 MB.
    public static let chunkSize = 1 << 20

    public static func hash(_ bytes: [UInt8]) throws -> [UInt8] {
        let hasher = try SHA256Hasher()
        try hasher.update(bytes)
        return try hasher.finalize()
    }

    public static func hex(_ bytes: [UInt8]) throws -> String {
        Hex.encode(try hash(bytes))
    }

    /// Streams an open file descriptor from its current position to end of file.
    /// Returns the digest and the number of bytes read.
    public static func hash(fileDescriptor fd: Int32) throws -> (digest: [UInt8], size: Int) {
        let hasher = try SHA256Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let count = read(fd, buffer.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw ReportError.io("read while hashing", errno: errno)
            }
            if count == 0 { break }
            try hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += count
        }
        return (try hasher.finalize(), total)
    }

    /// Streams a file in `chunkSize` pieces.
    public static func hash(filePath path: String) throws -> (digest: [UInt8], size: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReportError.io("open \(path)", errno: errno) }
        defer { close(fd) }
        return try hash(fileDescriptor: fd)
    }
}
