# A seccomp profile for shell scripts that read files and print: an allow
# list, one syscall name per line (names as libseccomp knows them), '#' starts
# a comment. Any syscall not listed fails with EPERM; syscalls newer than the
# newest one listed fail with ENOSYS, so libc falls back to an older call.
#
#   [service:report]
#   command = /srv/report.sh
#   seccomp = /etc/sup/seccomp/shell-tools.profile
#   seccomp_deny = vfork          ; adjust per service without a new file
#
# Made with: strace -f -c sh -c '...'  over what the script really runs.

# process life
execve
exit
exit_group
wait4
vfork
clone
clone3
getpid
getppid
set_tid_address
set_robust_list
rseq
prlimit64
arch_prctl

# memory
brk
mmap
munmap
mprotect
madvise

# signals
rt_sigaction
rt_sigprocmask
rt_sigreturn

# identity (read only: no setuid/setgid here)
getuid
geteuid
getgid
getegid
getrandom

# files
openat
close
read
write
pread64
lseek
access
faccessat2
newfstatat
statx
fstat
statfs
fcntl
ioctl
dup2
dup3
pipe2
getdents64
fadvise64
readlink
getcwd
chdir

# time
clock_gettime
clock_nanosleep
nanosleep
futex
