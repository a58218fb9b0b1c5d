import ArgumentParser
import Foundation
import HashmarkReport

/// `hashmark keygen --out DIR`: the Ed25519 key pair that signs reports.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an Ed25519 signing key pair: DIR/hashmark.key.pem (0600) and DIR/hashmark.pub.pem.",
        discussion: "Refuses to overwrite an existing private key. The key id is the SHA-256 of the public key's DER.")

    @Option(help: "Folder for the key pair (created if missing).") var out: String

    func run() throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let pair = try KeyPair.generate()
        let paths = try pair.write(toDirectory: out)
        print("private key: \(paths.privateKey)")
        print("public key:  \(paths.publicKey)")
        print("key id:      \(pair.publicKey.keyId)")
    }
}
