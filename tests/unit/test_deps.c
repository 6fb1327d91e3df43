/* Dependency graph: levels, order, requires, cycles, unknown names. */
#include "check.h"
#include "supervisor/svc_int.h"

#define MAXS 8
static struct svc_spec specs[MAXS];
static struct svc_spec *ptrs[MAXS];
static char *lists[MAXS][2][4];

static size_t graph(const char *const *names, size_t n)
{
        memset(specs, 0, sizeof(specs));
        memset(lists, 0, sizeof(lists));
        for (size_t i = 0; i < n; i++) {
                specs[i].name = (char *)names[i];
                specs[i].after = lists[i][0];
                specs[i].requires = lists[i][1];
                ptrs[i] = &specs[i];
        }
        return n;
}

static void after(size_t i, const char *name)
{
        char **l = lists[i][0];
        while (*l)
                l++;
        *l = (char *)name;
}

static void requires(size_t i, const char *name)
{
        char **l = lists[i][1];
        while (*l)
                l++;
        *l = (char *)name;
}

static size_t pos(const struct deps *d, size_t node)
{
        for (size_t i = 0; i < d->n; i++)
                if (d->order[i] == node)
                        return i;
        return (size_t)-1;
}

TEST(levels_follow_after)
{
        static const char *const names[] = { "web", "db", "migrate", "cache" };
        struct deps d;
        size_t n = graph(names, 4);

        after(0, "migrate");
        after(0, "cache");
        after(2, "db");
        CHECK_INT(deps_build(ptrs, n, &d, NULL), 0);
        CHECK_INT(d.level[1], 0);       /* db */
        CHECK_INT(d.level[3], 0);       /* cache */
        CHECK_INT(d.level[2], 1);       /* migrate after db */
        CHECK_INT(d.level[0], 2);       /* web after migrate */
        CHECK(pos(&d, 1) < pos(&d, 2));
        CHECK(pos(&d, 2) < pos(&d, 0));
        CHECK(pos(&d, 3) < pos(&d, 0));
        CHECK_INT(d.edges[0].n, 2);
        for (size_t i = 0; i < n; i++)
                CHECK(!d.cyclic[i]);
        deps_free(&d);
}

TEST(requires_is_an_edge_and_marked)
{
        static const char *const names[] = { "app", "db" };
        struct deps d;

        graph(names, 2);
        requires(0, "db");
        after(0, "db");                 /* confd lists it in both: one edge */
        CHECK_INT(deps_build(ptrs, 2, &d, NULL), 0);
        CHECK_INT(d.edges[0].n, 1);
        CHECK(d.edges[0].requires[0]);
        CHECK_INT(d.level[0], 1);
        deps_free(&d);
}

TEST(cycles_are_marked_not_looped)
{
        static const char *const names[] = { "a", "b", "c", "free", "behind" };
        struct deps d;

        graph(names, 5);
        after(0, "b");
        after(1, "c");
        after(2, "a");
        after(4, "a");
        CHECK_INT(deps_build(ptrs, 5, &d, NULL), 0);
        CHECK(d.cyclic[0] && d.cyclic[1] && d.cyclic[2]);
        CHECK(d.cyclic[4]);             /* waits on a cycle: can never start either */
        CHECK(!d.cyclic[3]);
        CHECK_INT(d.level[3], 0);
        CHECK_INT(pos(&d, 3), 0);
        deps_free(&d);
}

TEST(self_and_unknown_names_are_skipped)
{
        static const char *const names[] = { "x" };
        struct deps d;

        graph(names, 1);
        after(0, "x");
        after(0, "nosuch");
        CHECK_INT(deps_build(ptrs, 1, &d, NULL), 0);
        CHECK_INT(d.edges[0].n, 0);
        CHECK(!d.cyclic[0]);
        deps_free(&d);
}

TEST(empty_graph)
{
        struct deps d;

        CHECK_INT(deps_build(ptrs, 0, &d, NULL), 0);
        deps_free(&d);
}

TEST(a_thousand_in_a_chain)
{
        static struct svc_spec big[1000];
        static struct svc_spec *bp[1000];
        static char names[1000][8];
        static char *al[1000][2];
        struct deps d;

        for (int i = 0; i < 1000; i++) {
                snprintf(names[i], sizeof(names[i]), "s%d", i);
                big[i].name = names[i];
                al[i][0] = i ? names[i - 1] : NULL;
                big[i].after = al[i];
                bp[i] = &big[i];
        }
        CHECK_INT(deps_build(bp, 1000, &d, NULL), 0);
        CHECK_INT(d.level[999], 999);
        CHECK_INT(d.order[999], 999);
        deps_free(&d);
}

int main(int argc, char **argv) { return check_main(argc, argv); }
