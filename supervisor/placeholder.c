/* PLACEHOLDER until the supervisor lands: delete this file when supervisor provides these. */
#include <errno.h>
#include "supervisor/supervisor.h"
#include "supervisor/svc.h"
#include "supervisor/logroute.h"

int sup_start(struct ev_loop *l, struct sup_config *c, const char *p, sup_done_fn d, struct sup_err *err) { (void)l; (void)c; (void)p; (void)d; return sup_fail(err, ENOSYS, "supervisor not built yet"); }
bool sup_child_exited(pid_t pid, int st) { (void)pid; (void)st; return false; }
void sup_shutdown(void) {}
int sup_reload(char *s, size_t n, struct sup_err *err) { (void)s; (void)n; return sup_fail(err, ENOSYS, "supervisor not built yet"); }
void sup_forward_signal(int sig) { (void)sig; }
