/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Keys of the dashboard. View changes (focus, scroll, sort, idle rows,
 * totals, history, help, interface) are made here on struct dash_view; what needs
 * the loop (quit, pause, reset, interval, step) is returned as an action. */
#include "config.h"

#include <string.h>

#include "dashboard.h"
#include "util.h"

/* The intervals + and - walk through, in seconds. */
static const double ladder[] = { 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60 };

void dash_view_init(struct dash_view *v, bool show_idle)
{
	memset(v, 0, sizeof(*v));
	v->focus = DP_QUEUES;
	v->show_idle = show_idle;
	v->dev_focus = -1;
	for (int i = 0; i < DP_N; i++)
		v->shown[i] = i != DP_RECEIVER && i != DP_REASONS;
}

double dash_interval_next(double cur)
{
	for (size_t i = 0; i < ARRAY_SIZE(ladder); i++)
		if (ladder[i] > cur + 1e-9)
			return ladder[i];
	return cur;
}

double dash_interval_prev(double cur)
{
	for (size_t i = ARRAY_SIZE(ladder); i-- > 0;)
		if (ladder[i] < cur - 1e-9)
			return ladder[i];
	return cur;
}

/* d: the next step of the ladder, from the longest back to the shortest. */
double dash_interval_cycle(double cur)
{
	double next = dash_interval_next(cur);

	return next != cur ? next : ladder[0];
}

/* Tab moves to the next panel that was drawn; with none drawn it stays. */
static void cycle_focus(struct dash_view *v, int dir)
{
	for (int i = 1; i <= DP_N; i++) {
		int p = ((v->focus + dir * i) % DP_N + DP_N) % DP_N;

		if (v->shown[p]) {
			v->focus = p;
			return;
		}
	}
}

/* Scrolling is clamped to the rows at the next draw. */
static void scroll_by(struct dash_view *v, int rows)
{
	int *s = &v->scroll[v->focus];

	if (rows < 0 && *s < -rows)
		*s = 0;
	else
		*s += rows;
}

static int page_of(const struct dash_view *v)
{
	int p = v->page[v->focus];

	return p > 1 ? p - 1 : 1;
}

/* 1-9 focus that interface; the same digit again, or 0, shows all. */
static void pick_device(struct dash_view *v, int digit, size_t ndevs)
{
	if (digit == 0 || digit - 1 == v->dev_focus)
		v->dev_focus = -1;
	else if ((size_t)digit <= ndevs)
		v->dev_focus = digit - 1;
	v->scroll[DP_QUEUES] = 0;
}

static enum dash_action view_key(struct dash_view *v, int key)
{
	switch (key) {
	case DK_TAB:
		cycle_focus(v, 1);
		break;
	case DK_BTAB:
		cycle_focus(v, -1);
		break;
	case DK_UP:
		scroll_by(v, -1);
		break;
	case DK_DOWN:
		scroll_by(v, 1);
		break;
	case DK_PGUP:
		scroll_by(v, -page_of(v));
		break;
	case DK_PGDN:
		scroll_by(v, page_of(v));
		break;
	case DK_HOME:
		v->scroll[v->focus] = 0;
		break;
	case DK_END:
		v->scroll[v->focus] = 1 << 20; /* clamped when drawn */
		break;
	case 's':
		v->sort[v->focus] = (v->sort[v->focus] + 1) % DASH_SORTS;
		v->scroll[v->focus] = 0;
		break;
	case 'a':
		v->show_idle = !v->show_idle;
		break;
	case 't':
		v->show_totals = !v->show_totals;
		break;
	case 'g':
		v->graph = !v->graph;
		break;
	default:
		return DA_NONE;
	}
	return DA_REDRAW;
}

enum dash_action dash_key(struct dash_view *v, int key, size_t ndevs)
{
	/* With the help shown, any key closes it (q still quits). */
	if (v->help && key != 'q' && key != 'Q' && key != DK_RESIZE &&
	    key != DK_NONE) {
		v->help = false;
		return DA_REDRAW;
	}
	if (key >= '0' && key <= '9') {
		pick_device(v, key - '0', ndevs);
		return DA_REDRAW;
	}
	switch (key) {
	case 'q':
	case 'Q':
		return DA_QUIT;
	case 'p':
	case ' ':
		return DA_PAUSE;
	case 'h':
	case '?':
		v->help = true;
		return DA_REDRAW;
	case 'r':
		return DA_RESET;
	case '+':
		return DA_SLOWER;
	case '-':
		return DA_FASTER;
	case 'd':
		return DA_CYCLE_INTERVAL;
	case 'n':
		return DA_STEP;
	case DK_RESIZE:
		return DA_REDRAW;
	default:
		return view_key(v, key);
	}
}
