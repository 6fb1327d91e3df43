/* runtime/tiny/mem.c — memset and memcpy for the tiny init.
 *
 * Even freestanding, gcc may call them for a large struct's initialiser or
 * copy (aarch64 does above 256 bytes: struct pid1_plan), and no libc is
 * linked. Built with -fno-tree-loop-distribute-patterns, so gcc does not
 * turn these very loops back into calls to themselves. */
#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);

void *memset(void *dst, int c, size_t n)
{
        unsigned char *d = dst;

        while (n--)
                *d++ = (unsigned char)c;
        return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
        unsigned char *d = dst;
        const unsigned char *s = src;

        while (n--)
                *d++ = *s++;
        return dst;
}
