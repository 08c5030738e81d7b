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
/* Worker threads, overriding dc_blast_options.threads; 0 = the option, or
 * automatic (every online CPU on big graphs). */
void blast_set_threads(unsigned n);
/* Services from which an exact sweep without telemetry edges runs as two
 * sweeps (DOWN, then "affected"); 0 = the default (BLAST_SPLIT_MIN). */
void blast_set_split_min(size_t n);

#endif
