/*
 * analyze_int.h - test hook of dc_analyze. Not installed, not exported
 * (hidden visibility): the unit tests force the second thread on small
 * graphs, or keep it off, and compare the results.
 */
#ifndef DC_ANALYZE_INT_H
#define DC_ANALYZE_INT_H

/* The analyses beside the blast on a second thread: 1 always, -1 never,
 * 0 = automatic (threads != 1, a big graph, a second CPU). */
void analyze_set_side_thread(int mode);

#endif
