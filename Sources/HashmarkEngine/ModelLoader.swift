import Foundation
import HashmarkPrimitives
import HashmarkStore

/// A decision model together with the identity of the exact bytes it came from.
public struct LoadedModel: Sendable {
    public let model: DecisionModel
    /// SHA-256 (hex) of the model file's bytes; of the defaults' JSON when built in.
    public let sha256: String
    /// Where it was loaded from, or `nil` for the built-in defaults.
    public let path: String?

    public var identity: ModelIdentity { ModelIdentity(id: model.id, sha256: sha256) }

    /// The built-in defaults (`DecisionModel.defaults`), identified by the hash of their JSON.
    public static let defaults: LoadedModel = {
        let bytes = (try? ModelFile.encoder.encode(DecisionModel.defaults)) ?? Data()
        return LoadedModel(model: .defaults, sha256: SHA256.hex(bytes), path: nil)
    }()

    /// Loads a model file; errors name the file and what is wrong with it.
    public static func load(path: String) throws(EngineError) -> LoadedModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError(code: "model-unreadable", message: "Cannot read the model file \(path).")
        }
        do {
            let model = try JSONDecoder().decode(DecisionModel.self, from: data)
            guard model.schema == "hashmark.model/1" else {
                throw EngineError(code: "model-invalid", message: "\(path): unknown schema \(model.schema).")
            }
            return LoadedModel(model: model, sha256: SHA256.hex(data), path: path)
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(code: "model-invalid", message: "\(path) is not a hashmark.model/1 file: \(error)")
        }
    }

    /// The model to use when none is named: `$HASHMARK_MODEL` when set (a file that cannot be
    /// loaded is an error, not a fallback), else `Models/hashmark-model.json` under the current
    /// directory, else the installed copy, else the built-in defaults.
    public static func locate(explicit: String?) throws(EngineError) -> LoadedModel {
        if let explicit { return try load(path: explicit) }
        if let env = ProcessInfo.processInfo.environment["HASHMARK_MODEL"], !env.isEmpty { return try load(path: env) }
        for candidate in ["Models/hashmark-model.json", "/usr/local/share/hashmark/hashmark-model.json"]
        where FileManager.default.fileExists(atPath: candidate) {
            return try load(path: candidate)
        }
        return defaults
    }
}

/// Which decision model produced a verdict.
public struct ModelIdentity: Sendable, Hashable, Codable {
    public var id: String
    public var sha256: String
}

/// How model files are written: pretty, sorted keys, so diffs between versions read well.
public enum ModelFile {
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
