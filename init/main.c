/* PLACEHOLDER main until the foundation issue lands. */
#include <stdio.h>
int main(void) { fprintf(stderr, "supd: not built yet\n"); return 2; }
