import HashmarkDocument
import HashmarkEngine
import HashmarkFingerprint
import HashmarkMedia

/// Every `error.code` a report of the daemon can carry, by origin. A public contract: codes are
/// added, never renamed. `ErrorCodeTests` checks the list against the sources (a code raised
/// anywhere on the way to a report must be here), that each is kebab-case, and that a report with
/// each one signs and verifies.
public enum ReportedErrorCodes {
    /// Entries the daemon refuses to read, files it cannot read, and its workers' failures.
    public static let daemon = [
        "symlink", "fifo", "socket", "device", "directory", "unknown-file-type", "hard-link",
        "not-regular-file", "open-failed", "file-replaced", "read-failed", "file-too-large",
        EngineError.Code.timeout, "worker-crashed", "worker-protocol",
    ]

    /// The decoders' and the engine's codes.
    public static let content = [
        MediaError.Code.emptyFile, MediaError.Code.fileTooLarge, MediaError.Code.tooManyPixels,
        MediaError.Code.tooManyScans,
        MediaError.Code.truncated, MediaError.Code.corruptImage, MediaError.Code.unsupportedMedia,
        MediaError.Code.unknownFormat, MediaError.Code.ioError, MediaError.Code.invalidArgument,
        MediaError.Code.internalError, MediaError.Code.corruptAudio, MediaError.Code.tooLongAudio,
        EngineError.Code.textTooLong, EngineError.Code.corpusUnavailable, EngineError.Code.corpusStale,
        EngineError.Code.semanticModelUnavailable, EngineError.Code.semanticModelInvalid,
        EngineError.Code.descriptorModelUnavailable, EngineError.Code.descriptorModelInvalid,
    ] + DocumentError.Code.allCases.map(\.rawValue)
      + [TextDecodingError.Code.invalidTextEncoding, .invalidUTF8, .unsupportedMedia].map(\.rawValue)
      + [TextFingerprintError.Code.invalidUTF8, .parameterMismatch, .invalidParameters, .invalidSignature,
         .inputTooLarge].map(\.rawValue)

    public static var all: [String] { Array(Set(daemon + content)).sorted() }
}
