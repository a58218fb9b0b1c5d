import Foundation
import HashmarkDaemon
import Testing
import Synchronization

/// A datagram socket standing in for systemd's notify socket. Receives on its own thread so
/// no cooperative thread blocks; messages arrive through an AsyncStream.
final class NotifySocketListener: Sendable {
    let fd: Int32
    let messages = AsyncStream<String>.makeStream()
    private let stopped = Mutex(false)

    /// `path` starting with "@" binds an abstract socket.
    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var sa = sockaddr_un()
        sa.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &sa.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
        let rc = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard rc == 0 else { throw HarnessError("bind \(path) failed: errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !stopped.withLock({ $0 }) {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { messages.continuation.yield(String(decoding: buffer[0..<n], as: UTF8.self)) }
            }
            close(fd)
            messages.continuation.finish()
        }
        thread.start()
    }

    func stop() { stopped.withLock { $0 = true } }
}

@Suite("Notify and metrics", .timeLimit(.minutes(15)))
struct NotifyAndMetricsTests {
    @Test("READY=1, WATCHDOG=1 and STOPPING=1 reach NOTIFY_SOCKET; STATUS= carries counts")
    func sdNotify() async throws {
        let socketPath = NSTemporaryDirectory() + "/hm-notify-\(UUID().uuidString.prefix(8))"
        let listener = try NotifySocketListener(path: socketPath)
        defer { listener.stop(); unlink(socketPath) }
        let h = DaemonHarness(environment: ["NOTIFY_SOCKET": socketPath, "WATCHDOG_USEC": "200000"])
        try await h.start()
        var received: [String] = []
        var iterator = listener.messages.stream.makeAsyncIterator()
        while !received.contains(where: { $0.contains("WATCHDOG=1") }) {
            guard let message = await iterator.next() else { break }
            received.append(message)
        }
        try await h.stop()
        while !received.contains(where: { $0.contains("STOPPING=1") }) {
            guard let message = await iterator.next() else { break }
            received.append(message)
        }
        #expect(received.first?.hasPrefix("READY=1") == true)
        #expect(received.contains { $0.contains("WATCHDOG=1") && $0.contains("STATUS=done 0, failed 0") })
        #expect(received.contains { $0.hasPrefix("STOPPING=1") })
    }

    @Test("abstract notify sockets (@name) work; no NOTIFY_SOCKET means no-op")
    func abstractSocket() async throws {
        let name = "@hashmark-test-\(UUID().uuidString)"
        let listener = try NotifySocketListener(path: name)
        defer { listener.stop() }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name, "WATCHDOG_USEC": "1000000"])
        #expect(notifier.watchdogInterval == .milliseconds(500))
        #expect(notifier.notify("STATUS=hello"))
        var iterator = listener.messages.stream.makeAsyncIterator()
        #expect(await iterator.next() == "STATUS=hello")
        #expect(!SystemdNotifier(environment: [:]).notify("READY=1"))
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"]).watchdogInterval == nil)
    }

    @Test("GET /metrics returns Prometheus text; garbage gets 400/404/405 and the server keeps serving")
    func metricsEndpoint() async throws {
        let h = DaemonHarness { $0.metricsListen = "127.0.0.1:0" }
        try await h.start()
        let port = try #require(h.metricsPort)
        try h.dropRenamed("one", "INFRINGE one")
        try h.dropRenamed("two", "")
        try await h.waitProcessed(2)
        #expect(try httpStatus(port, "BLAH\r\n\r\n") == "HTTP/1.1 400 Bad Request")
        #expect(try httpStatus(port, "POST /metrics HTTP/1.1\r\n\r\n") == "HTTP/1.1 405 Method Not Allowed")
        #expect(try httpStatus(port, "GET /etc/passwd HTTP/1.1\r\n\r\n") == "HTTP/1.1 404 Not Found")
        #expect(try httpStatus(port, String(repeating: "x", count: 20_000)) == "HTTP/1.1 400 Bad Request")
        let response = try http(port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n")
        try await h.stop()
        #expect(response.hasPrefix("HTTP/1.1 200 OK"))
        #expect(response.contains("hashmark_files_processed_total{verdict=\"infringing\"} 1"))
        #expect(response.contains("hashmark_files_failed_total{verdict=\"error\",code=\"empty\"} 1"))
        #expect(response.contains("hashmark_index_entries 3"))
        #expect(response.contains("hashmark_processing_seconds_count 2"))
        #expect(response.contains("# TYPE hashmark_queue_depth gauge"))
    }

    @Test("a client trickling its request is cut off at the whole-request deadline; the next one is served")
    func slowClientCannotHoldTheMetricsServer() async throws {
        let h = DaemonHarness { $0.metricsListen = "127.0.0.1:0" }
        try await h.start()
        let port = try #require(h.metricsPort)
        // One byte every 0.5 s never trips a per-read timeout; only a whole-request deadline ends it.
        let slow = try connectTo(port)
        let trickler = Thread {
            for _ in 0..<24 {
                _ = "G".withCString { send(slow, $0, 1, Int32(MSG_NOSIGNAL)) }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        trickler.start()
        try await Task.sleep(for: .milliseconds(200))
        let started = Date()
        let status = try httpStatus(port, "GET /metrics HTTP/1.1\r\n\r\n")
        let waited = Date().timeIntervalSince(started)
        close(slow)
        try await h.stop()
        #expect(status == "HTTP/1.1 200 OK")
        // Served while the trickler (12 s in all) was still going: it was cut off, not waited out.
        #expect(waited < 10, "waited \(waited) s")
    }

    private func connectTo(_ port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = port.bigEndian
        sa.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw HarnessError("connect failed") }
        return fd
    }

    private func httpStatus(_ port: UInt16, _ request: String) throws -> String {
        try http(port, request).components(separatedBy: "\r\n").first ?? ""
    }

    /// A blocking HTTP exchange with 15 s timeouts (the server runs on a Dispatch queue).
    private func http(_ port: UInt16, _ request: String) throws -> String {
        let fd = try connectTo(port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
