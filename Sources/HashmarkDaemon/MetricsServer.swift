#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// `host:port` of the metrics listener: an IPv4 literal, `localhost`, or `[IPv6]`.
public struct MetricsAddress: Sendable, Equatable {
    public let host: String
    public let port: UInt16
    let isIPv6: Bool

    public init(parsing text: String) throws(DaemonError) {
        let bad = DaemonError(code: "config-value", message: "[metrics] listen \"\(text)\" is not host:port")
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { throw bad }
        var host = String(text[..<colon])
        if host == "localhost" { host = "127.0.0.1" }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            var addr = in6_addr()
            guard inet_pton(AF_INET6, host, &addr) == 1 else { throw bad }
            isIPv6 = true
        } else {
            var addr = in_addr()
            guard inet_pton(AF_INET, host, &addr) == 1 else { throw bad }
            isIPv6 = false
        }
        self.host = host
        self.port = port
    }
}

/// A deliberately tiny HTTP/1.1 responder: GET /metrics only, one request per connection,
/// 8 KiB request cap and 2 s socket timeouts, so garbage or slow clients cost little. Connections
/// are served one at a time on a Dispatch queue, never on Swift's cooperative pool.
final class MetricsServer: Sendable {
    /// The bound port (useful with port 0).
    let port: UInt16
    private let listener: Int32
    private let source: SourceBox

    private final class SourceBox: @unchecked Sendable {
        let source: any DispatchSourceRead
        init(_ source: any DispatchSourceRead) { self.source = source }
    }

    init(address: MetricsAddress, render: @escaping @Sendable () -> [UInt8]) throws(DaemonError) {
        let family = address.isIPv6 ? AF_INET6 : AF_INET
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw DaemonError.posix("metrics-listen", "socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var rc: Int32
        if address.isIPv6 {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = address.port.bigEndian
            inet_pton(AF_INET6, address.host, &sa.sin6_addr)
            rc = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = address.port.bigEndian
            inet_pton(AF_INET, address.host, &sa.sin_addr)
            rc = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard rc == 0, listen(fd, 16) == 0 else {
            let err = errno
            close(fd)
            throw DaemonError.posix("metrics-listen", "cannot listen on \(address.host):\(address.port)", errno: err)
        }
        var bound = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        // sin_port and sin6_port sit at the same offset.
        port = UInt16(bigEndian: bound.sin6_port)
        listener = fd
        let readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "hashmark.metrics"))
        readSource.setEventHandler {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { break }
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                MetricsServer.serve(client, render: render)
                close(client)
            }
        }
        readSource.setCancelHandler { close(fd) }
        source = SourceBox(readSource)
        readSource.resume()
    }

    func stop() { source.source.cancel() }

    /// Whole-request deadline: a client that trickles bytes (or reads slowly) gets this long for
    /// its request and the reply together, then is cut off. Clients are served one at a time on
    /// the server's own queue (the kernel's backlog of 16 holds the next ones), so a flood of
    /// connections slows /metrics, never the daemon.
    static let requestDeadlineNanoseconds: UInt64 = 2_000_000_000

    /// Sets the socket's receive and send timeouts to what is left before `deadline`; false when
    /// nothing is left.
    private static func arm(_ client: Int32, until deadline: UInt64) -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now < deadline else { return false }
        let left = deadline - now
        var timeout = timeval(tv_sec: Int(left / 1_000_000_000), tv_usec: Int(left % 1_000_000_000 / 1000) + 1)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return true
    }

    private static func serve(_ client: Int32, render: () -> [UInt8]) {
        let deadline = DispatchTime.now().uptimeNanoseconds + requestDeadlineNanoseconds
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        while request.count < 8192, arm(client, until: deadline) {
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            request.append(contentsOf: chunk[0..<n])
            if request.count >= 4, request.suffix(from: max(0, request.count - n - 3)).firstRange(of: end) != nil { break }
        }
        let line = request.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
        let parts = line.split(separator: UInt8(ascii: " "))
        let response: [UInt8]
        if parts.count == 3, Array(parts[0]) == Array("GET".utf8),
           Array(parts[1]) == Array("/metrics".utf8) || Array(parts[1]).starts(with: Array("/metrics?".utf8)),
           Array(parts[2]).starts(with: Array("HTTP/1.".utf8)) {
            response = reply("200 OK", "text/plain; version=0.0.4; charset=utf-8", render())
        } else if parts.count == 3, Array(parts[0]) != Array("GET".utf8) {
            response = reply("405 Method Not Allowed", "text/plain", Array("only GET /metrics\n".utf8))
        } else if parts.count == 3 {
            response = reply("404 Not Found", "text/plain", Array("only GET /metrics\n".utf8))
        } else {
            response = reply("400 Bad Request", "text/plain", Array("bad request\n".utf8))
        }
        var sent = 0
        while sent < response.count, arm(client, until: deadline) {
            let n = response[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
    }

    private static func reply(_ status: String, _ type: String, _ body: [UInt8]) -> [UInt8] {
        Array("HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
    }
}
