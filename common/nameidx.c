/* common/nameidx.c — an open-addressing hash of names (FNV-1a, linear
 * probing, at most half full). */
#include "common/nameidx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct nameidx_slot {
        const char *name;               /* NULL: free */
        size_t pos;
};

static uint64_t hash(const char *s)
{
        uint64_t h = 14695981039346656037ull;

        for (; *s; s++)
                h = (h ^ (unsigned char)*s) * 1099511628211ull;
        return h;
}

/* The slot holding name, or the free slot where it would go. */
static struct nameidx_slot *probe(struct nameidx_slot *slot, size_t cap, const char *name)
{
        size_t i = (size_t)hash(name) & (cap - 1);

        while (slot[i].name && strcmp(slot[i].name, name) != 0)
                i = (i + 1) & (cap - 1);
        return &slot[i];
}

static int grow(struct nameidx *ix)
{
        size_t cap = ix->cap ? ix->cap * 2 : 64;
        struct nameidx_slot *slot = calloc(cap, sizeof(*slot));

        if (!slot)
                return -1;
        for (size_t i = 0; i < ix->cap; i++)
                if (ix->slot[i].name)
                        *probe(slot, cap, ix->slot[i].name) = ix->slot[i];
        free(ix->slot);
        ix->slot = slot;
        ix->cap = cap;
        return 0;
}

int nameidx_put(struct nameidx *ix, const char *name, size_t pos, size_t *first)
{
        struct nameidx_slot *s;

        if (2 * (ix->n + 1) > ix->cap && grow(ix) < 0)
                return -1;
        s = probe(ix->slot, ix->cap, name);
        if (s->name) {
                if (first)
                        *first = s->pos;
                return 1;
        }
        *s = (struct nameidx_slot){ name, pos };
        ix->n++;
        return 0;
}

ssize_t nameidx_get(const struct nameidx *ix, const char *name)
{
        const struct nameidx_slot *s;

        if (!ix->cap)
                return -1;
        s = probe(ix->slot, ix->cap, name);
        return s->name ? (ssize_t)s->pos : -1;
}

void nameidx_free(struct nameidx *ix)
{
        free(ix->slot);
        *ix = (struct nameidx){ 0 };
}
