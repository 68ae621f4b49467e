/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench/bpf_floor OBJECT PROGRAM: loads one program of OBJECT (built from
 * floor.bpf.c), attaches it, prints "attached" and holds it until SIGTERM
 * or SIGINT. For tests/bench/reasons only. */
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Loads only PROGRAM: the object holds several on the same tracepoint. */
static struct bpf_link *attach_one(struct bpf_object *obj, const char *name)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, strcmp(bpf_program__name(p), name) == 0);
	if (bpf_object__load(obj))
		return NULL;
	p = bpf_object__find_program_by_name(obj, name);
	return p ? bpf_program__attach(p) : NULL;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_link *link;
	sigset_t none, term;

	if (argc != 3) {
		fprintf(stderr, "usage: bpf_floor OBJECT PROGRAM\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "bpf_floor: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* Blocked until sigsuspend: a signal between the test of stop and
	 * the wait would otherwise be lost. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	sigprocmask(SIG_BLOCK, &term, NULL);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	link = attach_one(obj, argv[2]);
	if (!link) {
		fprintf(stderr, "bpf_floor: %s: cannot load and attach %s: %s\n",
			argv[1], argv[2], strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	printf("attached\n");
	fflush(stdout);
	sigemptyset(&none);
	while (!stop)
		sigsuspend(&none);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return 0;
}
