#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// One thing inotify told us about inbox/.
enum InboxEvent: Sendable, Equatable {
    /// A file opened for writing in inbox/ was closed: take it once its size is stable.
    case closedAfterWrite(SpoolName)
    /// Renamed into inbox/ (the Maildir way): take it at once.
    case movedIn(SpoolName)
    /// Created in place: only interesting when it is not a regular file (symlink, FIFO, dir...).
    case created(SpoolName)
    /// The kernel queue overflowed or the watch went away: rescan.
    case overflow
}

/// inotify on inbox/ through Glibc: `inotify_init1(IN_NONBLOCK|IN_CLOEXEC)`, a Dispatch read
/// source (no thread parked in `read`) feeding an `AsyncStream`. Events are parsed by byte
/// offset because `struct inotify_event`'s flexible `name[]` is not imported into Swift.
final class InboxWatcher: Sendable {
    let events: AsyncStream<InboxEvent>
    private let source: SourceBox

    /// `DispatchSourceRead` is not Sendable; it is only touched through `cancel()`, which is.
    private final class SourceBox: @unchecked Sendable {
        let source: any DispatchSourceRead
        init(_ source: any DispatchSourceRead) { self.source = source }
    }

    init(directory: String) throws(DaemonError) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw DaemonError.posix("inotify-init", "inotify_init1 failed") }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ONLYDIR | IN_DONT_FOLLOW)
        guard inotify_add_watch(fd, directory, mask) >= 0 else {
            let err = errno
            close(fd)
            throw DaemonError.posix("inotify-watch", "cannot watch \(directory)", errno: err)
        }
        let (stream, continuation) = AsyncStream.makeStream(of: InboxEvent.self, bufferingPolicy: .unbounded)
        events = stream
        let readSource = DispatchSource.makeReadSource(fileDescriptor: fd,
                                                       queue: DispatchQueue(label: "hashmark.inotify"))
        readSource.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                for event in InboxWatcher.parse(buffer[0..<n]) { continuation.yield(event) }
            }
        }
        readSource.setCancelHandler { close(fd) }
        source = SourceBox(readSource)
        continuation.onTermination = { [source] _ in source.source.cancel() }
        readSource.resume()
    }

    func stop() { source.source.cancel() }

    /// Parses a buffer of `struct inotify_event { int wd; u32 mask, cookie, len; char name[len]; }`.
    static func parse(_ bytes: ArraySlice<UInt8>) -> [InboxEvent] {
        var events: [InboxEvent] = []
        let data = Array(bytes)
        var offset = 0
        let header = 16
        while offset + header <= data.count {
            let mask = data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self) }
            let length = Int(data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self) })
            let nameStart = offset + header
            let nameEnd = min(nameStart + length, data.count)
            offset = nameStart + length
            if mask & UInt32(IN_Q_OVERFLOW) != 0 || mask & UInt32(IN_IGNORED) != 0 {
                events.append(.overflow)
                continue
            }
            let raw = data[nameStart..<nameEnd].prefix { $0 != 0 }
            guard let name = SpoolName(bytes: Array(raw)), !name.isHidden else { continue }
            if mask & UInt32(IN_MOVED_TO) != 0 {
                events.append(.movedIn(name))
            } else if mask & UInt32(IN_CLOSE_WRITE) != 0 {
                events.append(.closedAfterWrite(name))
            } else if mask & UInt32(IN_CREATE) != 0 {
                events.append(.created(name))
            }
        }
        return events
    }
}
