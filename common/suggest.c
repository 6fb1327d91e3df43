/* common/suggest.c — edit distance and the closest known word. */
#include "common/suggest.h"

#include <ctype.h>
#include <string.h>

#define WORD_MAX 64     /* longer words are not typos worth a suggestion */

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
        unsigned m = a < b ? a : b;

        return m < c ? m : c;
}

/* Optimal string alignment: Levenshtein plus the swap of two neighbours
 * ("restrat" → "restart" is one edit), three rows of the table. */
unsigned suggest_distance(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b);
        unsigned rows[3][WORD_MAX + 1], *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

        if (la > WORD_MAX || lb > WORD_MAX)
                return 255;
        for (size_t j = 0; j <= lb; j++)
                prev[j] = (unsigned)j;
        for (size_t i = 1; i <= la; i++) {
                cur[0] = (unsigned)i;
                for (size_t j = 1; j <= lb; j++) {
                        int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
                        unsigned cost = ca != cb;

                        cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
                        if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                            tolower((unsigned char)a[i - 2]) == cb && prev2[j - 2] + 1 < cur[j])
                                cur[j] = prev2[j - 2] + 1;
                }
                unsigned *t = prev2;
                prev2 = prev;
                prev = cur;
                cur = t;
        }
        return prev[lb] > 255 ? 255 : prev[lb];
}

static unsigned allowed(const char *word)
{
        size_t n = strlen(word);

        return n <= 4 ? 1 : n <= 8 ? 2 : 3;
}

void suggest_init(struct suggest *s, const char *word)
{
        s->word = word;
        s->best = NULL;
        s->dist = 256;
}

void suggest_offer(struct suggest *s, const char *candidate)
{
        unsigned d;

        if (!candidate || !*candidate || !s->word || strcmp(s->word, candidate) == 0)
                return;
        d = suggest_distance(s->word, candidate);   /* 0: differs only in case */
        if (d <= allowed(s->word) && d < s->dist) {
                s->best = candidate;
                s->dist = d;
        }
}

const char *suggest_best(const struct suggest *s)
{
        return s->best;
}
