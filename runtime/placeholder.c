/* PLACEHOLDER until the runtime lands: delete this file when the runtime provides these. */
#include <errno.h>
#include "runtime/runtime.h"

int rt_init(struct sup_err *err) { (void)err; return 0; }
int rt_prepare(struct svc_spec *s, struct sup_err *err) { (void)s; (void)err; return 0; }
int rt_spawn(const struct svc_spec *s, const struct rt_stdio *io, struct rt_proc *p, struct sup_err *err) { (void)s; (void)io; (void)p; return sup_fail(err, ENOSYS, "runtime not built yet"); }
int rt_read_status(int fd, struct sup_err *err) { (void)fd; (void)err; return 0; }
int rt_signal(const struct rt_proc *p, int sig, struct sup_err *err) { (void)p; (void)sig; (void)err; return 0; }
bool rt_has_stragglers(const struct rt_proc *p) { (void)p; return false; }
bool rt_oom_killed(const struct rt_proc *p) { (void)p; return false; }
void rt_release(struct rt_proc *p) { (void)p; }
