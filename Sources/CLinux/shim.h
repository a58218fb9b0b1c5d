/* Linux calls that Swift cannot reach directly: variadic functions (prctl, syscall) and
   declarations glibc hides behind _GNU_SOURCE (renameat2, posix_spawn's closefrom).
   _GNU_SOURCE itself is NOT defined here: it changes the layout names of shared types (fd_set's
   `fds_bits` instead of `__fds_bits`), and Clang then refuses a Swift file that sees both this
   module's and Glibc's/Dispatch's fd_set ("not present in definition of 'fd_set'"). The two
   GNU functions are declared below with glibc's own prototypes instead. */
#include <stdio.h>
#include <spawn.h>
#include <unistd.h>
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/audit.h>

/* glibc's prototypes (stdio.h, unistd.h and spawn.h under __USE_GNU). */
extern int renameat2(int oldfd, const char *old, int newfd, const char *new_, unsigned int flags);
extern int pipe2(int pipedes[2], int flags);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
/* renameat2's flag (stdio.h under __USE_GNU, linux/fs.h). */
#define HM_RENAME_NOREPLACE (1 << 0)

/* renameat2 with RENAME_NOREPLACE: fails with EEXIST instead of replacing the destination. */
static inline int hm_renameat_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
    return renameat2(olddirfd, oldpath, newdirfd, newpath, HM_RENAME_NOREPLACE);
}

/* Closes every descriptor >= from in the spawned child (glibc >= 2.34). */
static inline int hm_spawn_closefrom(posix_spawn_file_actions_t *actions, int from) {
    return posix_spawn_file_actions_addclosefrom_np(actions, from);
}

static inline int hm_set_no_new_privs(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }
static inline int hm_set_parent_death_signal(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }
static inline int hm_set_not_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

/* Installs a seccomp BPF filter on every thread of the process (TSYNC; call
   hm_set_no_new_privs first, the kernel then sets it on the other threads too). 0 on success. */
static inline int hm_seccomp_install(struct sock_filter *filter, unsigned short count) {
    struct sock_fprog program = { .len = count, .filter = filter };
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &program);
}

static inline unsigned int hm_audit_arch_x86_64(void) { return AUDIT_ARCH_X86_64; }
static inline unsigned int hm_audit_arch_aarch64(void) { return AUDIT_ARCH_AARCH64; }

/* ---- Limited child processes (HashmarkDocument's LimitedProcess) ---- */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* Sets one resource limit: soft `soft`, hard `hard`. Async-signal-safe (a system call). */
static inline int hm_limit(int resource, unsigned long soft, unsigned long hard) {
    struct rlimit limit = { .rlim_cur = soft, .rlim_max = hard };
    return setrlimit(resource, &limit);
}

/* Starts `path` with `argv`/`envp` in a new process group, with stdin/stdout/stderr on
   `in_fd`/`out_fd`/`err_fd`, address space `as_bytes`, CPU `cpu_seconds`, file size
   `fsize_bytes`, no core dump, no other descriptor, killed when the calling thread dies.
   Between fork and execve the child calls only async-signal-safe functions (system calls), so
   forking from a multi-threaded process is safe. An exec failure travels back as its errno
   through a close-on-exec pipe. Returns the pid, or -errno when the program could not start. */
static inline pid_t hm_spawn_limited(const char *path, char *const argv[], char *const envp[],
                                     int in_fd, int out_fd, int err_fd, unsigned long as_bytes,
                                     unsigned long cpu_seconds, unsigned long fsize_bytes) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -errno;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) { int e = errno; close(report[0]); close(report[1]); return -e; }
    if (pid == 0) {
        int failure = 0;
        if (setpgid(0, 0) != 0) failure = errno;
        if (!failure && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) failure = errno;
        if (!failure && getppid() != parent) _exit(127); /* the parent died before prctl */
        if (!failure && (hm_limit(RLIMIT_AS, as_bytes, as_bytes) != 0
                         || hm_limit(RLIMIT_CPU, cpu_seconds, cpu_seconds + 1) != 0
                         || hm_limit(RLIMIT_FSIZE, fsize_bytes, fsize_bytes) != 0
                         || hm_limit(RLIMIT_CORE, 0, 0) != 0)) failure = errno;
        if (!failure && (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)) failure = errno;
        if (!failure) {
            /* Every descriptor above 2 but the report pipe (closed by execve itself). */
            int keep = report[1];
            if ((keep > 3 && syscall(SYS_close_range, 3u, (unsigned)(keep - 1), 0u) != 0)
                || syscall(SYS_close_range, (unsigned)(keep + 1), ~0u, 0u) != 0) {
                for (int fd = 3; fd < 65536; fd++) if (fd != keep) close(fd); /* kernel < 5.9 */
            }
            signal(SIGPIPE, SIG_DFL); /* an ignored SIGPIPE would survive execve */
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, 0);
            execve(path, argv, envp);
            failure = errno;
        }
        while (write(report[1], &failure, sizeof failure) < 0 && errno == EINTR) {}
        _exit(127);
    }
    close(report[1]);
    int failure = 0;
    ssize_t got;
    while ((got = read(report[0], &failure, sizeof failure)) < 0 && errno == EINTR) {}
    close(report[0]);
    if (got == (ssize_t)sizeof failure) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return -(failure ? failure : ECHILD);
    }
    return pid; /* execve succeeded, so setpgid and the limits are already in place */
}

/* 1 when child `pid` has ended, WITHOUT reaping it (its pid, and so its process group id,
   stays reserved until waitpid); 0 while it runs; -1 on error. */
static inline int hm_child_ended(pid_t pid) {
    siginfo_t info;
    info.si_pid = 0;
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return -1;
    return info.si_pid == pid ? 1 : 0;
}
