import Foundation

/// Resolves links inside an archive (OPF hrefs, relationship targets, `img src`) to entry
/// names, refusing any that leave the archive root.
enum ArchivePath {
    /// The folder part of `entry` ("OEBPS/" for "OEBPS/content.opf", "" at the root).
    static func directory(of entry: String) -> String {
        guard let slash = entry.lastIndex(of: "/") else { return "" }
        return String(entry[...slash])
    }

    /// `href` (percent-encoded, maybe with a fragment) against folder `base`; nil for external
    /// links (a URL scheme). Throws `.invalid` for an absolute path, a backslash or a path
    /// that climbs out of the archive.
    static func resolve(_ href: String, from base: String) throws(DocumentError) -> String? {
        var link = href
        if let hash = link.firstIndex(of: "#") { link = String(link[..<hash]) }
        if link.isEmpty { return nil }
        if let colon = link.firstIndex(of: ":"), !link[..<colon].contains("/") { return nil }
        let decoded = link.removingPercentEncoding ?? link
        guard !decoded.hasPrefix("/"), !decoded.contains("\\") else {
            throw DocumentError(.invalid, "link \(href) is not relative to the archive")
        }
        var parts: [Substring] = []
        for part in (base + decoded).split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard parts.popLast() != nil else {
                    throw DocumentError(.invalid, "link \(href) resolves outside the archive")
                }
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}
