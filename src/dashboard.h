/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The interactive dashboard. It only draws what diagnose() produced: the
 * drawing (dashboard_*.c) sees a struct diagnosis and the user's view
 * settings, never a snapshot or the kernel. The loop that collects and
 * diagnoses lives in dashloop.c; the terminal (ncurses) in
 * dashboard_term.c; the drawing itself goes to a plain grid of cells, so
 * that it is clipped to the screen by construction and testable without a
 * terminal. */
#ifndef DROPTOP_DASHBOARD_H
#define DROPTOP_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "diag_history.h"
#include "diagnose.h"

/* ---- the loop (dashloop.c) --------------------------------------------- */

struct drop_reasons;
struct recfile;

struct dashboard_config {
	double interval;      /* seconds between refreshes (replay: steps) */
	char **devs;          /* devices to watch (live) or keep (replay) */
	size_t ndevs;
	bool follow_devices;  /* see struct collect_config */
	const char *root;     /* --root prefix, "" for the host */
	const char *replay;   /* recording to step through, or NULL */
	struct recfile *record; /* write the snapshots taken here, or NULL */
	bool all;             /* start with idle rows shown */
	bool color;           /* false: --no-color or NO_COLOR */
	bool ascii;           /* --ascii: no UTF-8 bars and frames */
	const struct receiver *receiver; /* --receive: read as a source */
	const char *netns;    /* --netns NAME: recorded with each snapshot */
	struct drop_reasons *reasons;    /* drop_reasons_open(), or NULL */
};

/* Runs the dashboard until q or a signal. Returns the exit status: 0 on q,
 * 128+N on signal N, 2 on a fatal error (with a message on stderr, printed
 * after the terminal was restored). */
int dashboard_run(const struct dashboard_config *cfg);

/* ---- the grid the drawing writes to (dashboard_canvas.c) --------------- */

enum dash_style {
	DS_NORMAL,
	DS_BOLD,
	DS_DIM,
	DS_HEADER,     /* the top line */
	DS_TITLE,      /* a panel title */
	DS_FOCUS,      /* the focused panel's title */
	DS_GOOD,       /* nothing lost */
	DS_WARN,       /* some loss */
	DS_BAD,        /* the losing stage, serious loss */
	DS_BAR,        /* share and traffic bars */
	DS_MARK,       /* RX-IRQ CPU marks */
	DS_N
};

struct dash_cell {
	char ch[5];           /* one UTF-8 character, NUL-terminated */
	unsigned char style;  /* enum dash_style */
};

struct dash_canvas {
	int w, h;
	struct dash_cell *cells;
	bool ascii;           /* draw bars and frames in ASCII */
};

void dash_canvas_init(struct dash_canvas *c, int w, int h, bool ascii);
void dash_canvas_free(struct dash_canvas *c);
void dash_canvas_clear(struct dash_canvas *c);
/* Writes s at (y, x), at most maxw columns, clipped to the grid. Control
 * characters and bytes that are not UTF-8 become '?', so a name from the
 * kernel cannot move the cursor. Returns the columns written. */
int dash_put(struct dash_canvas *c, int y, int x, int maxw,
	     enum dash_style st, const char *s);
int dash_printf(struct dash_canvas *c, int y, int x, int maxw,
		enum dash_style st, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* A bar of width columns filled to frac (0..1), with eighth blocks in
 * UTF-8 and '#' in ASCII; the rest blank. */
void dash_bar(struct dash_canvas *c, int y, int x, int width, double frac,
	      enum dash_style st);
void dash_fill(struct dash_canvas *c, int y, int x, int w, enum dash_style st);
/* A sparkline of width columns from hist_levels(): eighth blocks rising
 * from the bottom in UTF-8, ".:-=+*#@" in ASCII; zero and no value yet
 * blank, an unknown value a dim gap mark ('\u00b7', ASCII '?'). */
void dash_spark(struct dash_canvas *c, int y, int x, int width,
		const int *levels, enum dash_style st);
/* The canvas row as plain text (for tests), trailing blanks removed. */
void dash_row_text(const struct dash_canvas *c, int y, char *buf,
		   size_t size);

/* ---- what the user chose (dashboard_keys.c) ---------------------------- */

enum dash_panel {
	DP_QUEUES,
	DP_CPUS,
	DP_SOCKETS,
	DP_RECEIVER,
	DP_REASONS,      /* the kernel's drop reasons, when read */
	DP_FINDINGS,
	DP_N
};

/* Sort orders per panel; s cycles them. */
#define DASH_SORTS 3

struct dash_view {
	int focus;               /* enum dash_panel */
	int scroll[DP_N];        /* first row shown */
	int page[DP_N];          /* rows visible at the last draw */
	int sort[DP_N];          /* 0 = the default order */
	bool shown[DP_N];        /* drawn at the last draw (Tab skips others) */
	bool show_idle;
	bool show_totals;
	bool help;
	bool graph;              /* g: the focused row's history */
	int dev_focus;           /* index into diagnosis devs, -1 = all */
};

/* What the loop shows about itself in the top line and the help. */
struct dash_status {
	const char *source;      /* "live" or the recording's path */
	double interval;         /* refresh interval, s */
	bool paused;
	size_t step, nsteps;     /* replay: step shown (1-based) and count */
	bool at_end;             /* replay: last step reached */
	double cpu_refresh_ms;   /* CPU per refresh: collect+diagnose+draw */
	double cpu_draw_ms;      /* of which drawing */
	double cpu_total_s;      /* CPU since start (getrusage) */
	double wall_s;           /* seconds since start */
	const char *message;     /* a transient note, or NULL */
	/* Before the first interval: of the first snapshot ("" unknown),
	 * and the seconds until the first interval ends (< 0 unknown). */
	const char *host, *kernel;
	double first_left_s;
};

/* Keys, as the terminal layer hands them over. */
enum {
	DK_NONE = 0,
	DK_UP = 0x1000,
	DK_DOWN,
	DK_PGUP,
	DK_PGDN,
	DK_HOME,
	DK_END,
	DK_TAB,
	DK_BTAB,
	DK_RESIZE,
};

/* What a key asks of the loop (the view changes are made in place). */
enum dash_action {
	DA_NONE,
	DA_REDRAW,
	DA_QUIT,
	DA_PAUSE,
	DA_RESET,
	DA_FASTER,
	DA_SLOWER,
	DA_CYCLE_INTERVAL,
	DA_STEP,
};

void dash_view_init(struct dash_view *v, bool show_idle);
enum dash_action dash_key(struct dash_view *v, int key, size_t ndevs);
/* The next and previous refresh interval of the ladder the keys walk. */
double dash_interval_next(double cur);
double dash_interval_prev(double cur);
double dash_interval_cycle(double cur);

/* ---- the terminal (dashboard_term.c) ----------------------------------- */

/* Opens the terminal for the dashboard (ncursesw): catches SIGINT, SIGTERM
 * and SIGHUP (a flag, read with dash_term_signal) and restores the
 * terminal from the handler of a fatal signal before it goes on. *ascii
 * is set when the locale is not UTF-8. Returns 0, or -1 with a message in
 * err when there is no usable terminal. */
int dash_term_open(bool color, bool *ascii, char *err, size_t errlen);
/* Restores the terminal (endwin); safe to call twice. */
void dash_term_close(void);
void dash_term_size(int *w, int *h);
/* Draws the canvas; ncurses sends only what changed. */
void dash_term_show(const struct dash_canvas *c);
/* Waits up to ms for a key: a character or a DK_* code, DK_NONE if none. */
int dash_term_key(int ms);
/* The SIGINT/SIGTERM/SIGHUP received, or 0. */
int dash_term_signal(void);

/* ---- drawing (dashboard_draw.c, dashboard_panels.c) -------------------- */

/* Draws one screen. rate: the last interval (NULL before the first one);
 * total: from the first snapshot (or the last reset) to now, or NULL.
 * Clamps v's scroll offsets and records each panel's page size. */
void dash_draw(struct dash_canvas *c, const struct diagnosis *rate,
	       const struct diagnosis *total, struct dash_view *v,
	       const struct dash_status *st);
/* The same with the loss history (NULL: none): sparklines in the
 * waterfall, and with g the history of the focused row. */
void dash_draw_hist(struct dash_canvas *c, const struct diagnosis *rate,
		    const struct diagnosis *total,
		    const struct diag_history *hist, struct dash_view *v,
		    const struct dash_status *st);

#endif
