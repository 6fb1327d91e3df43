/* supervisor/cost.c — what each service costs, measured when asked for.
 *
 * Nothing is sampled in the background (an idle supd never wakes for it):
 * `supctl status` (and so `supctl top`, which asks every second) reads the
 * kernel's counters through rt_usage() right before the table is made. */
#include <stdlib.h>

#include "supervisor/cost.h"
#include "supervisor/svc_int.h"

void cost_measure(struct svc *const *svcs, size_t n)
{
        const struct rt_proc **procs = calloc(n ? n : 1, sizeof(*procs));
        struct rt_usage *use = calloc(n ? n : 1, sizeof(*use));

        for (size_t i = 0; i < n; i++)
                svcs[i]->cost.known = false;
        if (!procs || !use)
                goto out;       /* the table shows "-": no worse than not asking */
        for (size_t i = 0; i < n; i++)
                procs[i] = svcs[i]->priv->have_proc && svcs[i]->pid > 0 ? &svcs[i]->priv->proc : NULL;
        rt_usage(procs, n, use);
        for (size_t i = 0; i < n; i++) {
                if (!procs[i])
                        continue;
                svcs[i]->cost = (struct svc_cost){
                        .known = true, .from_cgroup = use[i].from_cgroup,
                        .memory_bytes = use[i].memory_bytes, .tasks = use[i].tasks,
                        .cpu_ns = use[i].cpu_ns,
                };
        }
out:
        free(procs);
        free(use);
}
