/* runtime/tiny/image.S — the tiny init (runtime/tiny/), built
 * first, as bytes of the program that links the runtime: runtime/reaper.c
 * copies them into a sealed memfd at rt_init. Empty where the tiny reaper
 * is not built (an architecture it has no system calls for): the runtime
 * then re-execs its own program as the reaper. */
        .section .rodata.tiny_reaper, "a"
        .balign 16
        .globl  rt_tiny_reaper
        .globl  rt_tiny_reaper_end
rt_tiny_reaper:
#ifdef TINY_REAPER
        .incbin TINY_REAPER
#endif
rt_tiny_reaper_end:
        .section .note.GNU-stack, "", %progbits
