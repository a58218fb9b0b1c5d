import Foundation

/// Where a model's folder is looked for when none is named: the environment variable, else
/// `Models/<folder>` under the current directory, else the installed copy
/// (`/usr/local/share/hashmark/<folder>`, what `make install` writes); a candidate counts when it
/// holds a `model.json`.
enum ModelFolder {
    static func locate(explicit: String?, environment: String, folder: String) -> String? {
        if let explicit { return explicit }
        let env = ProcessInfo.processInfo.environment[environment]
        for candidate in [env, "Models/\(folder)", "/usr/local/share/hashmark/\(folder)"] {
            if let candidate, FileManager.default.fileExists(atPath: candidate + "/model.json") { return candidate }
        }
        return nil
    }

    /// The bytes of `name` in `folder`; a file that cannot be read fails with `missing`.
    static func read(_ name: String, in folder: String, missing code: String) throws(EngineError) -> Data {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError(code: code, message: "Cannot read \(path).")
        }
        return data
    }
}
