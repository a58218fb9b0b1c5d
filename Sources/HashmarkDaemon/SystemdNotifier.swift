#if canImport(Glibc)
import Glibc
#endif

/// sd_notify(3) without libsystemd: one datagram per message to `$NOTIFY_SOCKET` (a path, or an
/// abstract socket when it starts with `@`). Without `NOTIFY_SOCKET` every call is a no-op, so
/// the daemon runs the same under systemd, in a terminal and in tests.
public struct SystemdNotifier: Sendable {
    /// The socket address bytes (abstract sockets start with NUL); nil when not under systemd.
    private let address: [UInt8]?
    /// Half of `WATCHDOG_USEC` (systemd's advice), nil when the watchdog is off or meant for
    /// another process (`WATCHDOG_PID`).
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment` (pass the
    /// process environment in production, a crafted one in tests).
    public init(environment: [String: String]) {
        if let socketPath = environment["NOTIFY_SOCKET"], !socketPath.isEmpty,
           socketPath.hasPrefix("/") || socketPath.hasPrefix("@") {
            var bytes = Array(socketPath.utf8)
            if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
            address = bytes
        } else {
            address = nil
        }
        let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if pidMatches, let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 {
            watchdogInterval = .microseconds(Int64(usec / 2))
        } else {
            watchdogInterval = nil
        }
    }

    /// Sends `message` (e.g. "READY=1\nSTATUS=..."). Failures are returned, not thrown: a
    /// missing notify socket must never stop file processing.
    @discardableResult
    public func notify(_ message: String) -> Bool {
        guard let address else { return false }
        var sa = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: sa.sun_path)
        guard address.count < capacity else { return false }
        sa.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &sa.sun_path) { raw in
            raw.copyBytes(from: address)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // Abstract addresses are length-delimited; path addresses include the terminating NUL.
        let pathLength = address.first == 0 ? address.count : address.count + 1
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathLength)
        let payload = Array(message.utf8)
        let sent = withUnsafePointer(to: &sa) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                payload.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sockaddrPointer, length) }
            }
        }
        return sent == payload.count
    }
}
