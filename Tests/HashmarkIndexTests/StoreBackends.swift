import Foundation
import HashmarkTestSupport

/// The store's two back ends: every store test runs against both, PostgreSQL on a real server
/// (`PostgresTestServer`).
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgresql

    var description: String { rawValue }

    /// A fresh, empty store location: a file `name`.sqlite in `dir`, or a new database.
    func location(_ dir: URL, _ name: String) throws -> String {
        switch self {
        case .sqlite: return dir.appendingPathComponent(name + ".sqlite").path
        case .postgresql: return try PostgresTestServer.shared().makeDatabase(name)
        }
    }
}
