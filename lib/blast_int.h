/*
 * blast_int.h - test hooks of the blast-radius engine. Not installed, not
 * exported (hidden visibility): the unit tests force tiny column blocks and
 * a given number of threads to exercise block edges and the threaded path
 * on small graphs.
 */
#ifndef DC_BLAST_INT_H
#define DC_BLAST_INT_H

#include <stddef.h>

/* 64-bit words per column block, 0 = automatic (memory budget). */
void blast_set_block_words(size_t words);
/* Worker threads, 0 = automatic (2 on big graphs when 2 CPUs are online). */
void blast_set_threads(unsigned n);

#endif
