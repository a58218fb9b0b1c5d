#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// Runs a program as a child process that cannot take more than it is given: its address space,
/// CPU time and file size are capped by `prlimit` (util-linux, which sets the limits on itself
/// and then executes the program, so they hold from its first instruction), its wall-clock time
/// by this process (SIGKILL to its process group at the deadline), and its output by a cap on
/// what is read. Never waits on the child without a deadline; always reaps it.
///
/// `prlimit` rather than a `fork` + `setrlimit` of our own: a Swift process is multi-threaded,
/// and `posix_spawn` is the one safe way to start a program from it.
struct LimitedProcess {
    struct Limits {
        var seconds: Double
        var memoryBytes: Int
        var maxOutputBytes: Int
        /// Largest file the child may write (`pdfimages` writes images).
        var maxFileBytes: Int
    }

    struct Output {
        var status: Int32
        var stdout: [UInt8]
        /// At most 4 KiB of the child's stderr, for messages.
        var stderr: [UInt8]
    }

    enum Failure: Error {
        case unavailable(String)
        case timedOut
        case outputTooLarge
    }

    static let prlimit = "/usr/bin/prlimit"

    /// Runs `program arguments…` with an empty environment but `LC_ALL=C` and stdin from /dev/null.
    static func run(_ program: String, _ arguments: [String], limits: Limits) throws(Failure) -> Output {
        guard access(program, X_OK) == 0 else { throw .unavailable("\(program) is not installed") }
        guard access(prlimit, X_OK) == 0 else { throw .unavailable("\(prlimit) (util-linux) is not installed") }
        var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
        guard pipe2(&out, O_CLOEXEC) == 0 else { throw .unavailable("pipe2 failed") }
        guard pipe2(&err, O_CLOEXEC) == 0 else {
            close(out[0]); close(out[1])
            throw .unavailable("pipe2 failed")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
        hm_spawn_closefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), empty = sigset_t()
        sigfillset(&defaults)
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        let cpu = max(1, Int(limits.seconds.rounded(.up)))
        let argv = [prlimit, "--as=\(limits.memoryBytes)", "--cpu=\(cpu)", "--core=0", "--fsize=\(limits.maxFileBytes)",
                    "--", program] + arguments
        var pid: pid_t = 0
        let rc = withCStrings(argv) { a in withCStrings(["LC_ALL=C"]) { e in posix_spawn(&pid, prlimit, &actions, &attributes, a, e) } }
        close(out[1])
        close(err[1])
        guard rc == 0 else {
            close(out[0]); close(err[0])
            throw .unavailable("cannot start \(program): \(String(cString: strerror(rc)))")
        }
        defer { close(out[0]); close(err[0]) }
        var stdout: [UInt8] = [], stderr: [UInt8] = []
        var failure: Failure?
        let deadline = now() + limits.seconds
        var open = [out[0], err[0]]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !open.isEmpty {
            let left = deadline - now()
            if left <= 0 { failure = .timedOut; break }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(left, 1) * 1000) + 1)
            if ready < 0, errno != EINTR { break }
            for p in fds where p.revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(p.fd, $0.baseAddress, $0.count) }
                if n <= 0 {
                    if n < 0, errno == EINTR || errno == EAGAIN { continue }
                    open.removeAll { $0 == p.fd }
                } else if p.fd == out[0] {
                    stdout.append(contentsOf: buffer[0..<n])
                    if stdout.count > limits.maxOutputBytes { failure = .outputTooLarge; break }
                } else if stderr.count < 4096 {
                    stderr.append(contentsOf: buffer[0..<min(n, 4096 - stderr.count)])
                }
            }
            if failure != nil { break }
        }
        if failure != nil { _ = kill(-pid, SIGKILL); _ = kill(pid, SIGKILL) }
        // The pipes are closed (or the child killed): it ends now; a child that closed its output
        // but lingers is killed at the deadline.
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid || (r < 0 && errno != EINTR) { break }
            if now() > deadline { _ = kill(-pid, SIGKILL); _ = kill(pid, SIGKILL); failure = failure ?? .timedOut }
            usleep(2_000)
        }
        if let failure { throw failure }
        let signal = status & 0x7F
        return Output(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, stdout: stdout, stderr: stderr)
    }

    private static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
