#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// Runs one external program (a Poppler tool) on a hostile input, so that whatever the input
/// does to it stays out of this process: its own address space, `RLIMIT_AS`/`RLIMIT_CPU`/
/// `RLIMIT_FSIZE` caps, no core dump, a wall-clock deadline and a cap on what it prints.
///
/// Why a `fork` in C (`hm_spawn_limited`) and not `posix_spawn` of `/usr/bin/prlimit`: the
/// limits are then set by the same code that starts the program, with no second program that
/// may be missing or differ between distributions, and the child also gets its own process group
/// (so a shell script's children die with it) and `PR_SET_PDEATHSIG` (it dies with us), which
/// `posix_spawn` cannot set. The child calls only system calls between `fork` and `execve`.
///
/// Every call blocks until the program has ended and been reaped, never past the deadline.
@_spi(Testing) public struct LimitedProcess: Sendable {
    /// Caps for one run.
    public struct Limits: Sendable {
        public var seconds: Double
        public var memoryBytes: Int
        /// Largest file the program may write (`RLIMIT_FSIZE`); pipes are not counted.
        public var fileBytes: Int
        /// Standard output past this many bytes kills the program (`.tooLarge`).
        public var maxOutputBytes: Int
        /// Standard error kept for messages; the rest is read and dropped.
        public var maxErrorBytes: Int

        public init(seconds: Double, memoryBytes: Int, fileBytes: Int, maxOutputBytes: Int, maxErrorBytes: Int = 4096) {
            self.seconds = seconds; self.memoryBytes = memoryBytes; self.fileBytes = fileBytes
            self.maxOutputBytes = maxOutputBytes; self.maxErrorBytes = maxErrorBytes
        }
    }

    /// What a program that ended by itself left.
    public struct Output: Sendable {
        public var pid: pid_t
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        /// The exit status, or nil when a signal ended it (its own crash, or `RLIMIT_CPU`).
        public var exitStatus: Int32?
        public var signal: Int32?

        /// Standard error as text, cut to one short line for error messages.
        public var errorExcerpt: String {
            let text = String(decoding: stderr.prefix(300), as: UTF8.self)
            return text.split(whereSeparator: \.isNewline).prefix(3).joined(separator: " / ")
        }
    }

    public let path: String

    public init(path: String) { self.path = path }

    /// Runs the program with `arguments`, stdin on /dev/null, `PATH=/usr/bin:/bin` and the C
    /// locale as its whole environment.
    public func run(_ arguments: [String], limits: Limits) throws(DocumentError) -> Output {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard access(path, X_OK) == 0 else {
            throw DocumentError(.extractorUnavailable, "\(path) is not installed (Debian: poppler-utils)")
        }
        let deadline = Monotonic.now + max(limits.seconds, 0)
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe2(&outPipe, O_CLOEXEC) == 0 else { throw DocumentError(.extractorUnavailable, "pipe2 failed") }
        guard pipe2(&errPipe, O_CLOEXEC) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw DocumentError(.extractorUnavailable, "pipe2 failed")
        }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let cpuSeconds = UInt(max(1, limits.seconds.rounded(.up)))
        let pid = withCStrings([path] + arguments) { argv in
            withCStrings(["PATH=/usr/bin:/bin", "LC_ALL=C"]) { envp in
                hm_spawn_limited(path, argv, envp, devNull, outPipe[1], errPipe[1], UInt(max(limits.memoryBytes, 1 << 20)),
                                 cpuSeconds, UInt(max(limits.fileBytes, 0)))
            }
        }
        close(outPipe[1]); close(errPipe[1])
        if devNull >= 0 { close(devNull) }
        defer { close(outPipe[0]); close(errPipe[0]) }
        guard pid > 0 else {
            throw DocumentError(.extractorUnavailable, "cannot start \(name): \(String(cString: strerror(-pid)))")
        }

        var child = Child(pid: pid)
        defer { child.killAndReap() }
        var out: [UInt8] = [], err: [UInt8] = []
        var live = (out: true, err: true)
        while live.out || live.err {
            let wait = Monotonic.milliseconds(until: deadline)
            if wait <= 0 { throw DocumentError(.timeout, "\(name) ran past \(limits.seconds) s and was killed") }
            var fds = [pollfd(fd: live.out ? outPipe[0] : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: live.err ? errPipe[0] : -1, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, Int32(min(wait, 1000)))
            if ready < 0 && errno != EINTR { throw DocumentError(.extractorUnavailable, "poll failed") }
            if live.out && fds[0].revents != 0 {
                live.out = readSome(outPipe[0], into: &out, keep: limits.maxOutputBytes + 1)
                if out.count > limits.maxOutputBytes {
                    throw DocumentError(.tooLarge, "\(name) printed more than \(limits.maxOutputBytes) bytes")
                }
            }
            if live.err && fds[1].revents != 0 {
                live.err = readSome(errPipe[0], into: &err, keep: limits.maxErrorBytes)
            }
        }
        // Both pipes are closed: the program is ending (or handed them to nobody and goes on).
        while child.hasEnded() == false {
            if Monotonic.milliseconds(until: deadline) <= 0 {
                throw DocumentError(.timeout, "\(name) ran past \(limits.seconds) s and was killed")
            }
            usleep(5_000)
        }
        let status = child.killAndReap()
        let signal = status & 0x7F
        return Output(pid: pid, stdout: out, stderr: err, exitStatus: signal == 0 ? (status >> 8) & 0xFF : nil,
                      signal: signal == 0 ? nil : signal)
    }
}

/// The started child: killed with its whole process group and reaped exactly once.
private struct Child {
    let pid: pid_t
    var status: Int32?

    init(pid: pid_t) { self.pid = pid }

    func hasEnded() -> Bool { hm_child_ended(pid) != 0 }

    /// SIGKILL to the process group (whatever the program started) while the unreaped child
    /// still holds its id, then `waitpid`. Returns the wait status.
    @discardableResult
    mutating func killAndReap() -> Int32 {
        if let status { return status }
        _ = killpg(pid, SIGKILL)
        _ = kill(pid, SIGKILL)
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        status = raw
        return raw
    }
}

/// Reads what is there; false at end of file. Bytes past `keep` are read and dropped.
private func readSome(_ fd: Int32, into buffer: inout [UInt8], keep: Int) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65_536)
    let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if got < 0 { return errno == EINTR || errno == EAGAIN }
    if got == 0 { return false }
    let room = max(0, keep - buffer.count)
    buffer.append(contentsOf: chunk.prefix(min(got, room)))
    return true
}

/// Monotonic time in seconds.
private enum Monotonic {
    static var now: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func milliseconds(until deadline: Double) -> Int { Int(((deadline - now) * 1000).rounded(.up)) }
}

/// Calls `body` with a NULL-terminated `char *[]` of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
