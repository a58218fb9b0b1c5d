#if canImport(Glibc)
import Glibc
#endif
import CLinux
import Synchronization

/// One `hashmark worker` child process: the daemon's own binary, started with `posix_spawn`,
/// talking over its stdin and stdout (see `WorkerFrame`); stderr is the daemon's (the journal).
///
/// Every call here blocks, so the pool runs them on its own threads, never on Swift's
/// cooperative pool. `kill()` may be called from any thread at any time: a blocked `exchange`
/// then returns `nil` at once (end of file on the reply pipe).
final class WorkerProcess: Sendable {
    let pid: pid_t
    /// The daemon's ends: requests are written to `input`, replies read from `output`.
    private let input: Int32
    private let output: Int32
    private let inputOpen = Mutex(true)
    private let reaped = Mutex<Int32?>(nil)

    /// How a worker ended, from `waitpid`.
    enum Exit: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signalled(let signal): "signal \(signal) (\(String(cString: strsignal(signal))))"
            }
        }
    }

    /// Starts `executable arguments…` with a minimal environment. No descriptor of the daemon
    /// but the two pipes and stderr reaches the child (every other one is closed at exec).
    init(executable: String, arguments: [String], environment: [String: String]) throws(DaemonError) {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard pipe2(&toChild, O_CLOEXEC) == 0 else { throw DaemonError.posix("worker-spawn", "pipe2 failed") }
        guard pipe2(&fromChild, O_CLOEXEC) == 0 else {
            let err = errno
            close(toChild[0]); close(toChild[1])
            throw DaemonError.posix("worker-spawn", "pipe2 failed", errno: err)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        hm_spawn_closefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with default signal handling (the daemon ignores SIGPIPE and blocks
        // others in its dispatch sources).
        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = [executable] + arguments
        let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var child: pid_t = 0
        let rc = withCStrings(argv) { argvPointers in
            withCStrings(envp) { envPointers in
                posix_spawn(&child, executable, &actions, &attributes, argvPointers, envPointers)
            }
        }
        close(toChild[0])
        close(fromChild[1])
        guard rc == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw DaemonError.posix("worker-spawn", "cannot start \(executable) worker", errno: rc)
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
    }

    deinit {
        terminate()
        closeInput()
        close(output)
    }

    /// Reads the hello frame the worker sends once its index is loaded.
    func hello() -> [UInt8]? { WorkerFrame.read(from: output, limit: 1 << 20) }

    /// Sends one request (header and payload) and reads the reply; nil when the worker died or
    /// was killed before replying.
    func exchange(header: [UInt8], payload: [UInt8]) -> [UInt8]? {
        guard let fd = inputOpen.withLock({ $0 ? input : nil }),
              WorkerFrame.write(header, to: fd), WorkerFrame.write(payload, to: fd) else { return nil }
        return WorkerFrame.read(from: output, limit: 64 << 20)
    }

    /// SIGKILL; a no-op once the process has been reaped (its pid may be reused then).
    func kill() {
        reaped.withLock { status in
            if status == nil { _ = Glibc.kill(pid, SIGKILL) }
        }
    }

    /// Closes the worker's stdin: an idle worker then exits by itself.
    func closeInput() {
        inputOpen.withLock { open in
            if open { close(input) }
            open = false
        }
    }

    /// Kills (SIGKILL) and reaps the process, and tells how it ended: a worker that had already
    /// died keeps its own exit status or signal. Idempotent.
    @discardableResult
    func terminate() -> Exit {
        let status: Int32 = reaped.withLock { reaped in
            if let reaped { return reaped }
            _ = Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            reaped = status
            return status
        }
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}

/// Calls `body` with a NULL-terminated `char *[]` of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
