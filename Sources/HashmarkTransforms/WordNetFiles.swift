#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level access to the WordNet 3.0 database files (format: `wndb(5)`). The files are kept
/// as raw bytes: `index.*` is searched by bisection (its lines are sorted bytewise) and a
/// synset's offset in `data.*` is its byte offset, so loading parses nothing but the small
/// exception lists.
enum WordNetFiles {
    /// The whole file, or nil when it cannot be opened or read.
    static func load(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= 0 else { return nil }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        let ok = bytes.withUnsafeMutableBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return size == 0 }
            while done < size {
                let n = read(fd, base + done, size - done)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return false }
                done += n
            }
            return true
        }
        return ok ? bytes : nil
    }

    /// Offsets of the lines that do not start with a space (the licence header does).
    static func lineStarts(_ bytes: [UInt8]) -> [Int32] {
        var starts: [Int32] = []
        starts.reserveCapacity(bytes.count / 40)
        bytes.withUnsafeBufferPointer { b in
            var atStart = true
            for i in 0..<b.count {
                if atStart, b[i] != 0x20, b[i] != 0x0A { starts.append(Int32(i)) }
                atStart = b[i] == 0x0A
            }
        }
        return starts
    }

    /// The space-separated fields of the line starting at `offset`, up to the gloss bar `|`.
    static func fields(_ bytes: [UInt8], at offset: Int) -> [Substring] {
        guard offset >= 0, offset < bytes.count else { return [] }
        var end = offset
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x7C { end += 1 }
        let line = String(decoding: bytes[offset..<end], as: UTF8.self)
        return line.split(separator: " ")
    }

    /// Compares the first field of the line at `offset` with `key`, bytewise.
    static func compare(_ bytes: [UInt8], lineAt offset: Int, with key: [UInt8]) -> Int {
        var i = offset, k = 0
        while true {
            let a: Int = i < bytes.count && bytes[i] != 0x20 && bytes[i] != 0x0A ? Int(bytes[i]) : -1
            let b: Int = k < key.count ? Int(key[k]) : -1
            if a != b || a == -1 { return a - b }
            i += 1
            k += 1
        }
    }

    /// `form base [base…]` lines of an exception list.
    static func exceptions(_ bytes: [UInt8]) -> [String: [String]] {
        var map: [String: [String]] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count >= 2 else { continue }
            map[parts[0], default: []].append(contentsOf: parts.dropFirst())
        }
        return map
    }
}
