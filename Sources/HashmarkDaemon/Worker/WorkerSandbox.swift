#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// What a `hashmark worker` does to itself before it touches any submitted byte: it can decode
/// and match, and little else. Defence in depth behind the unit's own sandbox (systemd/README.md).
enum WorkerSandbox {
    /// Limits the process's address space (`RLIMIT_AS`), forbids core dumps and caps open
    /// files; makes this process the OOM killer's first choice; dies with its parent.
    static func limitResources(memoryBytes: Int, parent: pid_t) throws(DaemonError) {
        _ = hm_set_parent_death_signal(SIGKILL)
        // The daemon may have died between spawning us and the call above.
        if getppid() != parent { exit(70) }
        for (resource, value) in [(RLIMIT_AS, rlim_t(memoryBytes)), (RLIMIT_CORE, 0), (RLIMIT_NOFILE, 256)]
            as [(__rlimit_resource, rlim_t)] {
            let resource = __rlimit_resource_t(resource.rawValue)
            var limit = rlimit(rlim_cur: value, rlim_max: value)
            var current = rlimit()
            if getrlimit(resource, &current) == 0, current.rlim_max < value { limit = rlimit(rlim_cur: current.rlim_max, rlim_max: current.rlim_max) }
            guard setrlimit(resource, &limit) == 0 else {
                throw DaemonError.posix("worker-sandbox", "setrlimit(\(resource)) failed")
            }
        }
        if let fd = Optional(open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC)), fd >= 0 {
            _ = "1000".withCString { Glibc.write(fd, $0, 4) }
            close(fd)
        }
        _ = hm_set_not_dumpable()
    }

    /// Sets no-new-privileges and installs a seccomp filter, on every thread of the process
    /// (`SECCOMP_FILTER_FLAG_TSYNC`: prctl alone would cover only the calling thread), that makes
    /// process creation, program execution, networking, tracing and kernel administration fail
    /// with EPERM. Call it once the corpus is open: the worker needs none of these afterwards.
    static func restrictSystemCalls() throws(DaemonError) {
        guard hm_set_no_new_privs() == 0 else { throw DaemonError.posix("worker-sandbox", "PR_SET_NO_NEW_PRIVS failed") }
        var program = filter()
        let rc = program.withUnsafeMutableBufferPointer { hm_seccomp_install($0.baseAddress, UInt16($0.count)) }
        guard rc == 0 else { throw DaemonError.posix("worker-sandbox", "seccomp filter refused") }
    }

    /// System calls a decoding worker never needs.
    static let denied: [Int32] = [
        SYS_execve, SYS_execveat, SYS_fork, SYS_vfork,
        SYS_socket, SYS_socketpair, SYS_connect, SYS_bind, SYS_listen, SYS_accept, SYS_accept4,
        SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_kill,
        SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_unshare, SYS_setns,
        SYS_bpf, SYS_perf_event_open, SYS_keyctl, SYS_add_key, SYS_request_key,
        SYS_init_module, SYS_finit_module, SYS_delete_module, SYS_kexec_load, SYS_reboot,
        SYS_swapon, SYS_swapoff, SYS_open_by_handle_at, SYS_userfaultfd, SYS_io_uring_setup,
        SYS_memfd_create, SYS_personality, SYS_link, SYS_linkat, SYS_symlink, SYS_symlinkat,
        SYS_rename, SYS_renameat, SYS_renameat2, SYS_unlink, SYS_unlinkat, SYS_rmdir,
        SYS_chmod, SYS_fchmod, SYS_fchmodat, SYS_chown, SYS_fchown, SYS_lchown, SYS_fchownat,
        SYS_truncate,
    ].map { Int32($0) }

    /// The BPF program: wrong architecture → kill; x32 numbers and every `denied` call → EPERM;
    /// everything else allowed.
    static func filter() -> [sock_filter] {
        func statement(_ code: Int32, _ k: UInt32) -> sock_filter {
            sock_filter(code: UInt16(code), jt: 0, jf: 0, k: k)
        }
        func jump(_ code: Int32, _ k: UInt32, _ jt: UInt8, _ jf: UInt8) -> sock_filter {
            sock_filter(code: UInt16(code), jt: jt, jf: jf, k: k)
        }
        #if arch(x86_64)
        let arch = hm_audit_arch_x86_64()
        #else
        let arch = hm_audit_arch_aarch64()
        #endif
        let eperm = UInt32(SECCOMP_RET_ERRNO) | UInt32(EPERM)
        var program: [sock_filter] = [
            statement(BPF_LD | BPF_W | BPF_ABS, 4),                 // seccomp_data.arch
            jump(BPF_JMP | BPF_JEQ | BPF_K, arch, 1, 0),
            statement(BPF_RET | BPF_K, UInt32(SECCOMP_RET_KILL_PROCESS)),
            statement(BPF_LD | BPF_W | BPF_ABS, 0),                 // seccomp_data.nr
        ]
        #if arch(x86_64)
        program += [jump(BPF_JMP | BPF_JGE | BPF_K, 0x4000_0000, 0, 1), statement(BPF_RET | BPF_K, eperm)]
        #endif
        for number in denied {
            program.append(jump(BPF_JMP | BPF_JEQ | BPF_K, UInt32(number), 0, 1))
            program.append(statement(BPF_RET | BPF_K, eperm))
        }
        program.append(statement(BPF_RET | BPF_K, UInt32(SECCOMP_RET_ALLOW)))
        return program
    }
}
