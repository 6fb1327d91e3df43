/* common/nameidx.h — names to positions in O(1): a config of 100,000
 * services is checked and reloaded in linear time, where a scan per name
 * would be quadratic (tests/bench/config.sh shows the growth). The index
 * points at the caller's strings; it does not copy them. */
#ifndef SUP_COMMON_NAMEIDX_H
#define SUP_COMMON_NAMEIDX_H

#include <stddef.h>
#include <sys/types.h>

struct nameidx_slot;

struct nameidx {
        struct nameidx_slot *slot;
        size_t cap, n;
};

/* Add name at pos. Returns 0 when added, 1 when the name was there already
 * (*first = its position; nothing changes), -1 when out of memory. */
int nameidx_put(struct nameidx *ix, const char *name, size_t pos, size_t *first);

/* The position of name, or -1. */
ssize_t nameidx_get(const struct nameidx *ix, const char *name);

void nameidx_free(struct nameidx *ix);

#endif
