/* common/suggest.h — "did you mean ...?": the known word closest to a
 * misspelt one.
 *
 *   struct suggest sg;
 *   suggest_init(&sg, "restrat");
 *   for (each known word) suggest_offer(&sg, word);
 *   if (suggest_best(&sg)) ... "did you mean restart?"
 *
 * Closeness is the edit distance (insert, delete, replace, or swap two
 * neighbours; case ignored); a word is offered back only when it is close
 * enough to be a typo of the one given: 1 edit for up to 4 letters, 2 up
 * to 8, 3 beyond. Ties go to the first offered. */
#ifndef SUP_COMMON_SUGGEST_H
#define SUP_COMMON_SUGGEST_H

struct suggest {
        const char *word;
        const char *best;
        unsigned dist;
};

void suggest_init(struct suggest *s, const char *word);
void suggest_offer(struct suggest *s, const char *candidate);
/* The closest word offered, or NULL when none is close enough. */
const char *suggest_best(const struct suggest *s);

/* Edit distance between a and b (as above), capped at 255. */
unsigned suggest_distance(const char *a, const char *b);

#endif
