/* PLACEHOLDER main until the control issue lands. */
#include <stdio.h>
int main(void) { fprintf(stderr, "supctl: not built yet\n"); return 4; }
