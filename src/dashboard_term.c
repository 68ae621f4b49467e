/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dashboard's terminal: ncursesw set-up, drawing a canvas, keys, and
 * the guarantee that the terminal is restored on every way out. SIGINT,
 * SIGTERM and SIGHUP only set a flag (the loop then ends and calls
 * endwin); a fatal signal (SIGSEGV, SIGABRT...) cannot call endwin, so its
 * handler writes the precomputed reset sequence and the saved termios with
 * async-signal-safe calls, then lets the signal take its course. */
#include "config.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "dashboard.h"
#include "util.h"

/* State the signal handlers need: file scope by necessity. */
static volatile sig_atomic_t quit_signal;
static volatile sig_atomic_t term_active;
static struct termios saved_tio;
static bool have_tio;
static char reset_seq[256];
static size_t reset_len;
static SCREEN *screen;

static const int quit_sigs[] = { SIGINT, SIGTERM, SIGHUP };
static const int fatal_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
static struct sigaction old_fatal[5];

static void on_quit(int sig)
{
	quit_signal = sig;
}

static void on_fatal(int sig)
{
	if (term_active) {
		if (reset_len)
			(void)!write(STDOUT_FILENO, reset_seq, reset_len);
		if (have_tio)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		term_active = 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(fatal_sigs); i++)
		if (fatal_sigs[i] == sig)
			sigaction(sig, &old_fatal[i], NULL);
	raise(sig);
}

/* Installed before ncurses starts, so that it keeps ours (it only takes
 * SIGINT and SIGTERM for itself when they are at their default). No
 * SA_RESTART: a key wait returns early when a signal arrives. */
static void install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit;
	for (size_t i = 0; i < ARRAY_SIZE(quit_sigs); i++)
		sigaction(quit_sigs[i], &sa, NULL);
	sa.sa_handler = on_fatal;
	for (size_t i = 0; i < ARRAY_SIZE(fatal_sigs); i++)
		sigaction(fatal_sigs[i], &sa, &old_fatal[i]);
}

static void append_cap(const char *name)
{
	char *s = tigetstr(name);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (reset_len + n < sizeof(reset_seq)) {
		memcpy(reset_seq + reset_len, s, n);
		reset_len += n;
	}
}

/* What endwin would send, for the fatal-signal handler: leave the
 * alternate screen, show the cursor, plain attributes. */
static void prepare_reset(void)
{
	reset_len = 0;
	append_cap("sgr0");
	append_cap("cnorm");
	append_cap("rmcup");
}

static void init_colors(void)
{
	static const struct { int style, fg, bg; } pairs[] = {
		{ DS_GOOD, COLOR_GREEN, -1 },
		{ DS_WARN, COLOR_YELLOW, -1 },
		{ DS_BAD, COLOR_RED, -1 },
		{ DS_BAR, COLOR_CYAN, -1 },
		{ DS_MARK, COLOR_MAGENTA, -1 },
		{ DS_TITLE, COLOR_BLACK, COLOR_CYAN },
		{ DS_HEADER, COLOR_BLACK, COLOR_WHITE },
		{ DS_FOCUS, COLOR_BLACK, COLOR_YELLOW },
	};

	if (!has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++)
		init_pair((short)pairs[i].style, (short)pairs[i].fg,
			  (short)pairs[i].bg);
}

static bool colors_on;

/* A terminal the dashboard can draw on: a terminfo entry that moves the
 * cursor, not a hard-copy or generic type (TERM=dumb, emacs's shell).
 * Checked before curses takes the terminal, so that a refusal leaves it
 * untouched. */
static int check_terminal(char *err, size_t errlen)
{
	const char *term = getenv("TERM");
	const char *cup;
	int e = 0;
	bool ok;

	if (!term || !term[0]) {
		snprintf(err, errlen, "TERM is not set, so the dashboard "
			 "cannot drive this terminal: use --report, or set "
			 "TERM");
		return -1;
	}
	if (setupterm(term, STDOUT_FILENO, &e) != OK) {
		snprintf(err, errlen, "terminal type '%s' is unknown (no "
			 "terminfo entry): use --report, or set TERM to a "
			 "known type", term);
		return -1;
	}
	cup = tigetstr("cup");
	ok = cup && cup != (char *)-1 && tigetflag("hc") <= 0 &&
	     tigetflag("gn") <= 0;
	del_curterm(cur_term);
	if (!ok) {
		snprintf(err, errlen, "terminal type '%s' cannot move the "
			 "cursor, which the dashboard needs: use --report, "
			 "or set TERM to the terminal's type", term);
		return -1;
	}
	return 0;
}

int dash_term_open(bool color, bool *ascii, char *err, size_t errlen)
{
	const char *cs;

	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	*ascii = *ascii || !cs || strcmp(cs, "UTF-8") != 0;
	if (check_terminal(err, errlen) < 0)
		return -1;
	have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	install_handlers();
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		snprintf(err, errlen, "cannot use terminal type '%s'",
			 getenv("TERM") ? getenv("TERM") : "(unset)");
		return -1;
	}
	term_active = 1;
	prepare_reset();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	colors_on = color;
	if (color)
		init_colors();
	colors_on = color && has_colors();
	return 0;
}

void dash_term_close(void)
{
	if (!screen)
		return;
	curs_set(1);
	endwin();
	term_active = 0;
	delscreen(screen);
	screen = NULL;
}

void dash_term_size(int *w, int *h)
{
	getmaxyx(stdscr, *h, *w);
}

static attr_t style_attr(int st)
{
	static const attr_t mono[DS_N] = {
		[DS_BOLD] = A_BOLD, [DS_DIM] = A_DIM, [DS_HEADER] = A_REVERSE,
		[DS_TITLE] = A_UNDERLINE, [DS_FOCUS] = A_REVERSE | A_BOLD,
		[DS_BAD] = A_BOLD, [DS_WARN] = A_BOLD, [DS_MARK] = A_BOLD,
	};

	if (st < 0 || st >= DS_N)
		return A_NORMAL;
	if (!colors_on)
		return mono[st];
	switch (st) {
	case DS_GOOD: case DS_WARN: case DS_BAR: case DS_MARK:
	case DS_TITLE: case DS_HEADER:
		return COLOR_PAIR(st) | (st == DS_WARN ? A_BOLD : A_NORMAL);
	case DS_BAD: case DS_FOCUS:
		return COLOR_PAIR(st) | A_BOLD;
	default:
		return mono[st];
	}
}

void dash_term_show(const struct dash_canvas *c)
{
	erase();
	for (int y = 0; y < c->h; y++)
		for (int x = 0; x < c->w; x++) {
			const struct dash_cell *k = &c->cells[y * c->w + x];

			attrset(style_attr(k->style));
			mvaddstr(y, x, k->ch);
		}
	attrset(A_NORMAL);
	refresh();
}

int dash_term_key(int ms)
{
	int ch;

	timeout(ms);
	ch = getch();
	switch (ch) {
	case ERR: return DK_NONE;
	case KEY_UP: return DK_UP;
	case KEY_DOWN: return DK_DOWN;
	case KEY_PPAGE: return DK_PGUP;
	case KEY_NPAGE: return DK_PGDN;
	case KEY_HOME: return DK_HOME;
	case KEY_END: return DK_END;
	case '\t': return DK_TAB;
	case KEY_BTAB: return DK_BTAB;
	case KEY_RESIZE: return DK_RESIZE;
	case 12: /* Ctrl-L */
		clearok(curscr, TRUE);
		return DK_RESIZE;
	default:
		return ch >= 0 && ch < 256 ? ch : DK_NONE;
	}
}

int dash_term_signal(void)
{
	return quit_signal;
}
