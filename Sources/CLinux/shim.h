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
