/* Unit tests of the sandbox defaults (confd/sandbox.c): what a sandboxed
 * service gets for the keys it does not give, each key overriding its own,
 * suprun's always-sandboxed call, and the printed form loading back. */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "tests/unit/confd_util.h"

#define DOCKER_CAPS_BUT_MKNOD                                                   \
        (1ULL << CAP_CHOWN | 1ULL << CAP_DAC_OVERRIDE | 1ULL << CAP_FSETID |    \
         1ULL << CAP_FOWNER | 1ULL << CAP_NET_RAW | 1ULL << CAP_SETGID |        \
         1ULL << CAP_SETUID | 1ULL << CAP_SETFCAP | 1ULL << CAP_SETPCAP |       \
         1ULL << CAP_NET_BIND_SERVICE | 1ULL << CAP_SYS_CHROOT | 1ULL << CAP_KILL | \
         1ULL << CAP_AUDIT_WRITE)

static struct sup_config *with(const char *lines)
{
        char text[4096];

        snprintf(text, sizeof(text), "[service:x]\ncommand = true\n%s\n", lines);
        return load(text);
}

TEST(a_plain_service_is_left_alone)
{
        struct sup_config *c = with("");

        CHECK(c != NULL);
        if (c) {
                const struct sandbox_spec *sb = &c->services[0]->sandbox;

                CHECK(!confd_sandboxed(c->services[0]));
                CHECK(!sb->caps_set);
                CHECK(!sb->no_new_privileges);
                CHECK_INT(sb->seccomp, SECCOMP_NONE);
                CHECK(!sb->masked_defaults && !sb->read_only_defaults);
        }
        confd_free(c);
}

TEST(namespaces_bring_dockers_defaults)
{
        struct sup_config *c = with("namespaces = pid mount");

        CHECK(c != NULL);
        if (c) {
                const struct sandbox_spec *sb = &c->services[0]->sandbox;

                CHECK(sb->caps_set);
                CHECK(!sb->caps_ambient);
                CHECK_INT(sb->caps, DOCKER_CAPS_BUT_MKNOD);
                CHECK(sb->no_new_privileges);
                CHECK_INT(sb->seccomp, SECCOMP_DEFAULT);
                CHECK(sb->masked_defaults && sb->read_only_defaults);
        }
        confd_free(c);
}

/* A PID or network namespace makes a mount namespace (/proc, /sys): the
 * paths come with it; uts alone has none. */
TEST(masked_paths_come_with_any_mount_namespace)
{
        struct sup_config *c = with("namespaces = net");

        CHECK(c && c->services[0]->sandbox.masked_defaults);
        confd_free(c);
        c = with("namespaces = uts");
        CHECK(c && !c->services[0]->sandbox.masked_defaults &&
              c->services[0]->sandbox.caps_set);
        confd_free(c);
}

TEST(each_key_overrides_its_own_default)
{
        struct sup_config *c = with("namespaces = pid mount\ncapabilities = all\n"
                                    "no_new_privileges = no\nseccomp = none\n"
                                    "masked_paths = none\nread_only_paths = /etc");

        CHECK(c != NULL);
        if (c) {
                const struct sandbox_spec *sb = &c->services[0]->sandbox;

                CHECK(!sb->caps_set);
                CHECK(!sb->no_new_privileges);
                CHECK_INT(sb->seccomp, SECCOMP_NONE);
                CHECK(!sb->masked_defaults && !sb->masked_paths);
                CHECK(!sb->read_only_defaults);
                CHECK(sb->read_only_paths && strcmp(sb->read_only_paths[0], "/etc") == 0);
        }
        confd_free(c);
        c = with("namespaces = mount\nmasked_paths = default /srv/secret");
        CHECK(c && c->services[0]->sandbox.masked_defaults &&
              strcmp(c->services[0]->sandbox.masked_paths[0], "/srv/secret") == 0);
        confd_free(c);
}

/* seccomp alone sandboxes a service; root needs mount, so it has one. */
TEST(seccomp_or_root_also_sandbox)
{
        struct sup_config *c = with("seccomp = default");

        CHECK(c && c->services[0]->sandbox.caps_set && c->services[0]->sandbox.no_new_privileges);
        confd_free(c);
}

TEST(suprun_sandboxes_a_service_without_namespaces)
{
        struct sup_config *c = with("capabilities = CAP_KILL");

        CHECK(c != NULL);
        if (c) {
                struct svc_spec *s = c->services[0];

                confd_sandbox_defaults(s, true);
                CHECK_INT(s->sandbox.caps, 1ULL << CAP_KILL);   /* given: kept */
                CHECK(s->sandbox.caps_ambient);
                CHECK(s->sandbox.no_new_privileges);
                CHECK_INT(s->sandbox.seccomp, SECCOMP_DEFAULT);
                CHECK(!s->sandbox.masked_defaults);             /* no mount namespace */
                confd_sandbox_defaults(s, true);                /* idempotent */
                CHECK_INT(s->sandbox.caps, 1ULL << CAP_KILL);
        }
        confd_free(c);
}

/* `supd --check` shows the defaults and its output loads back the same. */
TEST(printed_defaults_load_back_equal)
{
        struct sup_config *c = with("namespaces = pid\nuser = nobody"), *again;
        char *out = NULL;
        size_t len = 0;
        FILE *f;

        CHECK(c != NULL);
        if (!c)
                return;
        f = open_memstream(&out, &len);
        confd_print(f, c);
        fclose(f);
        CHECK(strstr(out, "capabilities = default\n") != NULL);
        CHECK(strstr(out, "no_new_privileges = yes\n") != NULL);
        CHECK(strstr(out, "seccomp = default\n") != NULL);
        again = load(out);
        CHECK(again && confd_spec_equal(c->services[0], again->services[0]));
        confd_free(again);
        confd_free(c);
        free(out);
}

int main(int argc, char **argv)
{
        return check_main(argc, argv);
}
