/* supervisor/cost.h — fill each service's cost (svc.h, struct svc_cost)
 * from the kernel: its cgroup, or its process group. For status. */
#ifndef SUP_SUPERVISOR_COST_H
#define SUP_SUPERVISOR_COST_H

#include <stddef.h>

#include "supervisor/svc.h"

void cost_measure(struct svc *const *svcs, size_t n);

#endif
