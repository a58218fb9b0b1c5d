import Foundation

/// Where a model's folder is looked for when none is named: the environment variable (a folder,
/// or `off`), else `Models/<folder>` under the current directory, else the installed copy
/// (`/usr/local/share/hashmark/<folder>`, what `make install` writes); a candidate counts when it
/// holds a `model.json`.
enum ModelFolder {
    /// What the search finds. A variable that is set names the folder outright (a wrong path then
    /// fails the load, rather than another copy being used unseen); `off` switches the matcher off.
    static func lookup(explicit: String?, environment: String, folder: String) -> ModelLookup {
        if let explicit { return .found(explicit) }
        if let env = ProcessInfo.processInfo.environment[environment], !env.isEmpty {
            return env == "off" ? .off : .found(env)
        }
        let places = ["Models/\(folder)", "/usr/local/share/hashmark/\(folder)"]
        for candidate in places where FileManager.default.fileExists(atPath: candidate + "/model.json") {
            return .found(candidate)
        }
        return .notFound(searched: ["$\(environment)"] + places)
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

/// The outcome of looking for a model folder that was not named.
public enum ModelLookup: Sendable, Equatable {
    case found(String)
    /// Switched off on purpose (the variable is `off`).
    case off
    /// Nowhere to be found: the matcher is off, which the operator should hear about.
    case notFound(searched: [String])

    /// How a daemon hands the outcome to its workers (whose environment is empty): the folder's
    /// absolute path, `off` or `missing`.
    public var argument: String {
        switch self {
        case .found(let path): return URL(fileURLWithPath: path).standardizedFileURL.path
        case .off: return "off"
        case .notFound: return "missing"
        }
    }

    /// The lookup an `argument` stands for.
    public init(argument: String) {
        switch argument {
        case "off": self = .off
        case "missing": self = .notFound(searched: [])
        default: self = .found(argument)
        }
    }

    /// A one-line warning when the model was not found; nil when found or switched off.
    func warning(model: String, variable: String, consequence: String) -> String? {
        guard case .notFound(let searched) = self else { return nil }
        return "no \(model) found (looked at \(searched.joined(separator: ", "))): \(consequence); "
            + "\(variable)=off says this is meant"
    }
}

/// A learned model loaded from one folder, looked for by `ModelFolder` when none is named.
public protocol FolderModel: Sendable {
    /// The variable that names the folder (or `off`).
    static var environment: String { get }
    /// The folder's name under `Models/` and under the installed copy.
    static var folderName: String { get }
    /// What a warning calls the model, and what is lost without it.
    static var missing: (model: String, consequence: String) { get }
    init(folder: String) throws(EngineError)
}

extension FolderModel {
    /// `explicit`, else the variable's folder (`off`: none), else `Models/<folderName>` under the
    /// current directory, else the installed copy; nil when none (the matcher is then off).
    public static func locate(explicit: String? = nil) -> String? {
        if case .found(let path) = lookup(explicit: explicit) { return path }
        return nil
    }

    /// What `locate` finds (`explicit`, when given, is found as it is).
    public static func lookup(explicit: String? = nil) -> ModelLookup {
        ModelFolder.lookup(explicit: explicit, environment: environment, folder: folderName)
    }

    /// The warning to give when no folder was found (nil when one was, or when switched off).
    public static var missingWarning: String? {
        lookup().warning(model: missing.model, variable: environment, consequence: missing.consequence)
    }

    /// Loads the located folder, or nil when there is none.
    public static func load(explicit: String? = nil) throws(EngineError) -> Self? {
        try load(lookup(explicit: explicit))
    }

    /// Loads what `lookup` found (nil when off or not found).
    public static func load(_ lookup: ModelLookup) throws(EngineError) -> Self? {
        guard case .found(let folder) = lookup else { return nil }
        return try Self(folder: folder)
    }
}
