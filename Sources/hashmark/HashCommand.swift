import ArgumentParser
import Foundation
import HashmarkEngine
import HashmarkFingerprint
import HashmarkMedia

/// `hashmark hash FILE...`: fingerprints without a corpus.
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print the PDQ hash of images and the fingerprint summary of texts.",
        discussion: """
            Exit code 0 when every file was fingerprinted, 2 when any failed.
            --json prints one object per line: {"file","mediaType","pdq","quality","dihedral"} \
            for images, {"file","mediaType","text":{…}} for texts, {"file","error":{"code","message"}} \
            on failure.
            """)

    @Flag(help: "One JSON object per line.") var json = false
    @Flag(help: "Bit-exact PDQ (the reference's numbers) instead of the fast path.") var exact = false
    @Argument(help: "Files to fingerprint.") var files: [String]

    struct ImageLine: Encodable {
        let file: String, mediaType: String, pdq: String, quality: Int, dihedral: [String]
    }
    struct TextLine: Encodable {
        let file: String, mediaType: String, text: TextFingerprintSummaryJSON
    }
    struct TextFingerprintSummaryJSON: Encodable {
        let algorithm: String, k: Int, w: Int, permutations: Int
        let tokens: Int, shingles: Int, winnowedShingles: Int, minhash: String
    }
    struct AudioLine: Encodable {
        let file: String, mediaType: String, audio: AudioFingerprintJSON
    }
    struct AudioFingerprintJSON: Encodable {
        let algorithm: String, durationSeconds: Double, sampleRate: Int, channels: Int, frames: Int, landmarks: Int
    }
    struct ErrorLine: Encodable { let file: String, error: JSONError }

    func run() throws {
        var failed = false
        let limits = EngineLimits()
        for file in files {
            do {
                let bytes = try MediaFile.read(file, maxBytes: limits.image.maxFileBytes)
                let content = try Fingerprinter.analyse(bytes, fileName: file, limits: limits, exact: exact)
                emit(file: file, content)
            } catch let error as MediaError {
                failed = true
                emit(file: file, code: error.code, message: error.message)
            } catch let error as EngineError {
                failed = true
                emit(file: file, code: error.code, message: error.message)
            }
        }
        if failed { throw ExitCode(2) }
    }

    private func emit(file: String, _ content: FileContent) {
        switch content {
        case .image(let image):
            if json {
                JSONLine.print(ImageLine(file: file, mediaType: image.mediaType.mimeType,
                                         pdq: image.pdq.hash.hex, quality: image.pdq.quality,
                                         dihedral: image.dihedral.map(\.hex)))
            } else {
                Swift.print("\(image.pdq.hash.hex) \(image.pdq.quality) \(file)")
            }
        case .text(let text):
            let s = text.summary
            if json {
                JSONLine.print(TextLine(file: file, mediaType: text.mediaType.mimeType, text: .init(
                    algorithm: s.algorithm, k: s.parameters.k, w: s.parameters.w,
                    permutations: s.parameters.permutations, tokens: s.tokens, shingles: s.shingles,
                    winnowedShingles: s.winnowedShingles, minhash: s.minhash)))
            } else {
                Swift.print("text tokens=\(s.tokens) shingles=\(s.shingles) minhash=\(s.minhash.prefix(16))… \(file)")
            }
        case .audio(let audio):
            let f = audio.fingerprint
            if json {
                JSONLine.print(AudioLine(file: file, mediaType: audio.mediaType.mimeType, audio: .init(
                    algorithm: AudioFingerprint.algorithm, durationSeconds: audio.durationSeconds, sampleRate: audio.sampleRate,
                    channels: audio.channels, frames: f.frames, landmarks: f.landmarks.count)))
            } else {
                Swift.print(String(format: "audio %.2fs landmarks=%d frames=%d ", audio.durationSeconds, f.landmarks.count, f.frames) + file)
            }
        }
    }

    private func emit(file: String, code: String, message: String) {
        if json {
            JSONLine.print(ErrorLine(file: file, error: JSONError(code: code, message: message)))
        } else {
            FileHandle.standardError.write(Data("\(file): error \(code): \(message)\n".utf8))
        }
    }
}
