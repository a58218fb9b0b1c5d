import Foundation
import HashmarkPrimitives

/// Which public key `show` and `verify` may trust. Never a key merely found next to the report:
/// whoever can write a forged report there can put their own key beside it.
///
/// In order: `--pubkey PEM` (the operator named it); else `$HASHMARK_PUBKEY`; else the local default
/// `var/keys/hashmark.pub.pem` (the operator's own key). With `--key-id HEX` the key must have that
/// id: the key named by `--pubkey`, or else the first of `$HASHMARK_PUBKEY`, the default and the
/// `pinnedOnly` candidates (e.g. the key beside the report) whose id is the one given — the id is the
/// SHA-256 of the key's DER, so a key that matches it is that key wherever it was found.
public enum TrustedKey {
    public static let environmentVariable = "HASHMARK_PUBKEY"
    public static let defaultPath = "var/keys/" + KeyPair.publicKeyFileName

    public enum Resolution: Sendable {
        /// The key to verify with, and the file it came from.
        case key(PublicKey, path: String)
        /// No key was named and there is no local default: signatures cannot be checked.
        case none
        /// A key was named (`--pubkey`, `--key-id`, `$HASHMARK_PUBKEY`) but cannot be used.
        case refused(VerificationFailure)
    }

    public static func resolve(pubkey: String?, keyId: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               pinnedOnly: [String] = []) -> Resolution {
        let fromEnvironment = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let keyId else {
            if let path = pubkey ?? fromEnvironment { return load(path) }
            return FileManager.default.fileExists(atPath: defaultPath) ? load(defaultPath) : .none
        }
        let wanted = keyId.lowercased()
        guard Hex.isSHA256(wanted) else {
            return .refused(.init(code: "key-id-syntax", message: "--key-id must be 64 hex digits (SHA-256 of the key's DER)"))
        }
        if let pubkey {
            let resolution = load(pubkey)
            if case .key(let key, _) = resolution, key.keyId != wanted {
                return .refused(.init(code: "key-id-mismatch",
                                      message: "\(pubkey) has key id \(key.keyId), not the trusted \(wanted); refused"))
            }
            return resolution
        }
        var seen: [String] = []
        for path in [fromEnvironment, defaultPath].compactMap({ $0 }) + pinnedOnly
        where FileManager.default.fileExists(atPath: path) {
            guard case .key(let key, _) = load(path) else { continue }
            if key.keyId == wanted { return .key(key, path: path) }
            seen.append("\(path) (\(key.keyId))")
        }
        let found = seen.isEmpty ? "no public key found" : "found only " + seen.joined(separator: ", ")
        return .refused(.init(code: "key-id-mismatch", message: "no key with the trusted id \(wanted): \(found); refused"))
    }

    private static func load(_ path: String) -> Resolution {
        do { return .key(try PublicKey.load(pemPath: path), path: path) } catch {
            return .refused(.init(code: "pubkey-unusable", message: "\(path): \(error)"))
        }
    }
}
