import Foundation
import HashmarkPrimitives
import HashmarkReport
import Testing

@Suite("Ed25519 keys")
struct KeyTests {
    @Test func privateKeyFileIsCreated0600AndPublic0644() throws {
        let dir = try makeTempDirectory()
        defer { removeDirectory(dir) }
        let paths = try KeyPair.generate().write(toDirectory: dir)
        #expect(paths.privateKey == dir + "/hashmark.key.pem")
        let privateMode = try FileManager.default.attributesOfItem(atPath: paths.privateKey)[.posixPermissions] as? Int
        let publicMode = try FileManager.default.attributesOfItem(atPath: paths.publicKey)[.posixPermissions] as? Int
        #expect(privateMode == 0o600)
        #expect(publicMode == 0o644 || publicMode == 0o644 & ~Int(umask(0o022)))
        #expect(String(decoding: try readBytes(paths.privateKey), as: UTF8.self).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(String(decoding: try readBytes(paths.publicKey), as: UTF8.self).hasPrefix("-----BEGIN PUBLIC KEY-----"))
        // No temporary files left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["hashmark.key.pem", "hashmark.pub.pem"])
    }

    @Test func refusesToOverwriteAnExistingKey() throws {
        let dir = try makeTempDirectory()
        defer { removeDirectory(dir) }
        let first = try KeyPair.generate()
        try first.write(toDirectory: dir)
        let error = #expect(throws: ReportError.self) { try KeyPair.generate().write(toDirectory: dir) }
        #expect(error?.code == .keyExists)
        #expect(try SigningKey.load(pemPath: dir + "/hashmark.key.pem").publicKey == first.publicKey)
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o606])
    func refusesKeyReadableByOthers(mode: Int) throws {
        let dir = try makeTempDirectory()
        defer { removeDirectory(dir) }
        let path = try KeyPair.generate().write(toDirectory: dir).privateKey
        #expect(chmod(path, mode_t(mode)) == 0)
        let error = #expect(throws: ReportError.self) { try SigningKey.load(pemPath: path) }
        #expect(error?.code == .keyPermissions)
        #expect(chmod(path, 0o600) == 0)
        _ = try SigningKey.load(pemPath: path)
        #expect(chmod(path, 0o400) == 0)
        _ = try SigningKey.load(pemPath: path)
    }

    @Test func rejectsNonEd25519AndGarbageKeys() throws {
        let dir = try makeTempDirectory()
        defer { removeDirectory(dir) }
        let rsaPath = dir + "/rsa.pem"
        try runOpenSSL(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", rsaPath])
        #expect(chmod(rsaPath, 0o600) == 0)
        #expect(throws: ReportError.self) { try SigningKey.load(pemPath: rsaPath) }
        let junk = dir + "/junk.pem"
        try writeBytes(Array("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8), junk)
        #expect(chmod(junk, 0o600) == 0)
        #expect(throws: ReportError.self) { try SigningKey.load(pemPath: junk) }
        #expect(throws: ReportError.self) { try PublicKey.load(pem: Array("not a key".utf8)) }
    }

    @Test func signVerifyAndKeyIdAgreeWithOpenSSL() throws {
        let dir = try makeTempDirectory()
        defer { removeDirectory(dir) }
        let pair = try KeyPair.generate()
        let paths = try pair.write(toDirectory: dir)
        let loaded = try SigningKey.load(pemPath: paths.privateKey)
        let publicKey = try PublicKey.load(pemPath: paths.publicKey)
        #expect(loaded.publicKey == pair.publicKey)
        #expect(publicKey == pair.publicKey)

        // Key id = SHA-256 of the SubjectPublicKeyInfo DER, as openssl exports it.
        let derPath = dir + "/pub.der"
        try runOpenSSL(["pkey", "-pubin", "-in", paths.publicKey, "-outform", "DER", "-out", derPath])
        #expect(try readBytes(derPath) == publicKey.der)
        #expect(SHA256.hex(try readBytes(derPath)) == publicKey.keyId)

        let message = Array("the exact bytes".utf8)
        let signature = try loaded.sign(message)
        #expect(signature.count == 64)
        #expect(try pair.signingKey.sign(message) == signature)  // Ed25519 is deterministic
        #expect(publicKey.verify(signature: signature, message: message))
        #expect(!publicKey.verify(signature: signature, message: message + [0]))
        #expect(!(try KeyPair.generate().publicKey.verify(signature: signature, message: message)))

        // Our signature verifies with openssl …
        try writeBytes(message, dir + "/msg")
        try writeBytes(signature, dir + "/msg.sig")
        #expect(try opensslVerifies(publicKeyPath: paths.publicKey, messagePath: dir + "/msg", signaturePath: dir + "/msg.sig"))
        // … and openssl's signature with our private key file verifies with our code.
        let signed = try runOpenSSL(["pkeyutl", "-sign", "-rawin", "-inkey", paths.privateKey,
                                     "-in", dir + "/msg", "-out", dir + "/openssl.sig"])
        #expect(signed.status == 0)
        let opensslSignature = try readBytes(dir + "/openssl.sig")
        #expect(opensslSignature == signature)
        #expect(publicKey.verify(signature: opensslSignature, message: message))
    }

    @Test func opensslGeneratedKeyWorksWithOurCode() throws {
        let dir = try makeTempDirectory()
        defer { removeDirectory(dir) }
        let keyPath = dir + "/openssl.key.pem"
        #expect(try runOpenSSL(["genpkey", "-algorithm", "ed25519", "-out", keyPath]).status == 0)
        #expect(chmod(keyPath, 0o600) == 0)
        try runOpenSSL(["pkey", "-in", keyPath, "-pubout", "-out", dir + "/openssl.pub.pem"])
        let key = try SigningKey.load(pemPath: keyPath)
        #expect(try PublicKey.load(pemPath: dir + "/openssl.pub.pem") == key.publicKey)
        let message = Array("hello".utf8)
        try writeBytes(message, dir + "/m")
        try writeBytes(try key.sign(message), dir + "/m.sig")
        #expect(try opensslVerifies(publicKeyPath: dir + "/openssl.pub.pem", messagePath: dir + "/m", signaturePath: dir + "/m.sig"))
    }
}
