import Foundation
import HashmarkReport
import Testing

/// `TrustedKey.resolve`: the key `show` and `verify` use is never one merely found beside a report.
@Suite("Trusted key", .timeLimit(.minutes(15)))
struct TrustedKeyTests {
    struct Keys {
        let dir: String
        let ours: KeyPair, forger: KeyPair
        let ourPath: String, forgerPath: String

        init() throws {
            dir = try makeTempDirectory()
            ours = try KeyPair.generate()
            forger = try KeyPair.generate()
            ourPath = dir + "/ours.pem"
            forgerPath = dir + "/hashmark.pub.pem"  // "beside the report"
            try writeBytes(try ours.publicKey.pem(), ourPath)
            try writeBytes(try forger.publicKey.pem(), forgerPath)
        }
    }

    static func keyId(_ r: TrustedKey.Resolution) -> String? { if case .key(let k, _) = r { k.keyId } else { nil } }
    static func refusal(_ r: TrustedKey.Resolution) -> String? { if case .refused(let f) = r { f.code } else { nil } }

    @Test func explicitEnvironmentAndNoKey() throws {
        let k = try Keys()
        defer { removeDirectory(k.dir) }
        #expect(Self.keyId(TrustedKey.resolve(pubkey: k.ourPath, keyId: nil, environment: [:])) == k.ours.publicKey.keyId)
        #expect(Self.keyId(TrustedKey.resolve(pubkey: nil, keyId: nil, environment: ["HASHMARK_PUBKEY": k.ourPath]))
                == k.ours.publicKey.keyId)
        #expect(Self.refusal(TrustedKey.resolve(pubkey: k.dir + "/missing.pem", keyId: nil, environment: [:])) == "pubkey-unusable")
        #expect(Self.refusal(TrustedKey.resolve(pubkey: nil, keyId: nil, environment: ["HASHMARK_PUBKEY": k.dir + "/missing.pem"]))
                == "pubkey-unusable")
        // The key beside the report is not a candidate without a pinned id (the test runs where
        // var/keys/hashmark.pub.pem is absent, or it would be the answer).
        if !FileManager.default.fileExists(atPath: TrustedKey.defaultPath) {
            guard case .none = TrustedKey.resolve(pubkey: nil, keyId: nil, environment: [:], pinnedOnly: [k.forgerPath]) else {
                Issue.record("a key beside the report was trusted"); return
            }
        }
    }

    @Test func keyIdPinsTheKey() throws {
        let k = try Keys()
        defer { removeDirectory(k.dir) }
        let ourId = k.ours.publicKey.keyId
        #expect(Self.refusal(TrustedKey.resolve(pubkey: k.forgerPath, keyId: ourId, environment: [:])) == "key-id-mismatch")
        #expect(Self.refusal(TrustedKey.resolve(pubkey: nil, keyId: ourId, environment: ["HASHMARK_PUBKEY": k.forgerPath],
                                                pinnedOnly: [k.forgerPath])) == "key-id-mismatch")
        #expect(Self.keyId(TrustedKey.resolve(pubkey: nil, keyId: ourId.uppercased(), environment: ["HASHMARK_PUBKEY": k.ourPath]))
                == ourId)
        #expect(Self.keyId(TrustedKey.resolve(pubkey: k.ourPath, keyId: ourId, environment: [:])) == ourId)
        // Beside the report, but with the pinned id: it is that key.
        let beside = k.dir + "/genuine/hashmark.pub.pem"
        try FileManager.default.createDirectory(atPath: k.dir + "/genuine", withIntermediateDirectories: true)
        try writeBytes(try k.ours.publicKey.pem(), beside)
        #expect(Self.keyId(TrustedKey.resolve(pubkey: nil, keyId: ourId, environment: [:], pinnedOnly: [k.forgerPath, beside]))
                == ourId)
        #expect(Self.refusal(TrustedKey.resolve(pubkey: nil, keyId: "abc", environment: [:])) == "key-id-syntax")
    }
}
