/* PLACEHOLDER until the supervisor and log router land: delete this file when supervisor provides these. */
#include <errno.h>
#include "supervisor/supervisor.h"
#include "supervisor/svc.h"
#include "supervisor/logroute.h"

int sup_start(struct ev_loop *l, struct sup_config *c, const char *p, sup_done_fn d, struct sup_err *err) { (void)l; (void)c; (void)p; (void)d; return sup_fail(err, ENOSYS, "supervisor not built yet"); }
bool sup_child_exited(pid_t pid, int st) { (void)pid; (void)st; return false; }
void sup_shutdown(void) {}
int sup_reload(char *s, size_t n, struct sup_err *err) { (void)s; (void)n; return sup_fail(err, ENOSYS, "supervisor not built yet"); }
void sup_forward_signal(int sig) { (void)sig; }
const char *svc_state_name(enum svc_state st) { (void)st; return "?"; }
size_t sup_count(void) { return 0; }
struct svc *sup_at(size_t i) { (void)i; return NULL; }
struct svc *sup_find(const char *n) { (void)n; return NULL; }
