/* common/exitcode.h — how a process's end reads as a shell exit code.
 *
 * One home for the rule, so that `supd -- CMD`, a service and suprun give
 * the same code for the same failure. */
#ifndef SUP_COMMON_EXITCODE_H
#define SUP_COMMON_EXITCODE_H

/* Wait status → the code, or 128+N for death by signal N. */
int exitcode_of_status(int wait_status);

/* A failed execve's errno → the shell's code: 127 "command not found"
 * (ENOENT, ENOTDIR), 126 "cannot execute" (anything else). */
int exitcode_of_exec_errno(int errnum);

#endif
